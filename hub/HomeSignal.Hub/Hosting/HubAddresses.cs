using HomeSignal.Hub.Broker;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HomeSignal.Hub.Hosting;

/// <summary>Where a started hub listens — for tests and the demo, which host it on free ports.</summary>
public static class HubAddresses
{
    /// <summary>The MQTT port kits connect to (the embedded broker's bound port — its TLS endpoint with <c>Tls:Enabled</c> — or the external broker's).</summary>
    public static int MqttPort(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<BrokerEndpoint>().KitPort;
    }

    /// <summary>The first HTTP address the hub bound (e.g. http://127.0.0.1:41234), once started.</summary>
    public static Uri HttpAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The hub has not started, or binds no HTTP address.");
        return new Uri(first.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }
}
