using HomeSignal.Edge.Hub;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Outbox;
using HomeSignal.Edge.Sensors;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HomeSignal.Edge.Tests.Support;

/// <summary>Simulated kits hosted in-process through <see cref="Program.Build"/>, configured entirely in memory.</summary>
public static class TestKits
{
    public static Dictionary<string, string?> Settings(string kitId, string dataDirectory, MosquittoServer broker) =>
        Settings(kitId, dataDirectory, broker.Host, broker.Port);

    public static Dictionary<string, string?> Settings(string kitId, string dataDirectory, string host = "127.0.0.1", int port = 1883) => new()
    {
        ["Kit:KitId"] = kitId,
        ["Kit:DataDirectory"] = dataDirectory,
        ["Mqtt:Host"] = host,
        ["Mqtt:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mqtt:UseTls"] = "false",
        ["Mqtt:Username"] = kitId,
        ["Mqtt:Password"] = "test-secret-" + kitId,
        ["Mqtt:ConnectionCheckSeconds"] = "1",
        ["Mqtt:BackoffInitialSeconds"] = "0.2",
        ["Mqtt:BackoffMaxSeconds"] = "1",
        ["Mqtt:RetrySeconds"] = "1",
        ["Gpio:Mode"] = "Simulated",
        ["Liveness:AssumeClockSynced"] = "true",
    };

    public static IHost Build(Dictionary<string, string?> settings) =>
        Program.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));

    public static async Task<IHost> StartAsync(Dictionary<string, string?> settings)
    {
        var host = Build(settings);
        await host.StartAsync();
        return host;
    }

    public static SensorInjector Injector(this IHost host) => host.Services.GetRequiredService<SensorInjector>();

    public static OutboxStore Outbox(this IHost host) => host.Services.GetRequiredService<OutboxStore>();

    public static KitHealth Health(this IHost host) => host.Services.GetRequiredService<KitHealth>();

    public static KitIdentity Identity(this IHost host) => host.Services.GetRequiredService<KitIdentity>();

    public static HubConnection Link(this IHost host) => host.Services.GetRequiredService<HubConnection>();
}
