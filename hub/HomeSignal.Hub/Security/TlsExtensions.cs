using HomeSignal.Hub.Hosting;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Security;

public static class TlsExtensions
{
    /// <summary>
    /// The <c>Tls</c> options and the hub's <see cref="CertificateAuthority"/>. With <c>Tls:Enabled</c> the CA and the
    /// server certificate are made (or loaded) at start; without it the hub warns that MQTT runs in plain text.
    /// </summary>
    public static WebApplicationBuilder AddTls(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<TlsOptions>(TlsOptions.Section);

        // Peers check certificates against their real clocks, so the CA dates them by the system clock, not a test's.
        services.AddSingleton(sp => new CertificateAuthority(
            sp.GetRequiredService<IOptions<TlsOptions>>().Value, TimeProvider.System, sp.GetRequiredService<ILogger<CertificateAuthority>>()));
        services.AddHostedService<TlsStartup>();
        return builder;
    }
}

/// <summary>Makes or loads the certificates before the broker starts, or says once that MQTT is not encrypted.</summary>
public sealed class TlsStartup(IOptions<TlsOptions> options, IServiceProvider services, ILogger<TlsStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            var ca = services.GetRequiredService<CertificateAuthority>();
            logger.LogInformation("MQTT over TLS with client certificates from the hub CA in {Directory}.", ca.Directory);
        }
        else
        {
            logger.LogWarning("MQTT without TLS: only for the demo and tests. Set Tls:Enabled=true for real kits.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
