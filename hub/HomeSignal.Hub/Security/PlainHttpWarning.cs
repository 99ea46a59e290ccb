using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HomeSignal.Hub.Security;

/// <summary>
/// Once Kestrel has bound its addresses: warns for every plain <c>http://</c> address that is not loopback, where health
/// data, API keys and kit enrolment would cross the network unencrypted.
/// </summary>
public sealed class PlainHttpWarning(IServer server, ILogger<PlainHttpWarning> logger) : IHostedLifecycleService
{
    /// <summary>The bound addresses that are plain HTTP and reachable from other machines.</summary>
    public static IReadOnlyList<string> ExposedPlainHttp(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return addresses
            .Where(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            .Where(a => !Uri.TryCreate(a, UriKind.Absolute, out var uri) || !uri.IsLoopback)
            .ToList();
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in ExposedPlainHttp(addresses))
        {
            logger.LogWarning(
                "The hub API listens on plain HTTP on {Address}, which is not loopback: resident data, API keys and kit enrolment cross the network unencrypted. Use an https:// URL with Tls:Enabled=true, or keep http:// on 127.0.0.1 (see Security/README.md).",
                address);
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
