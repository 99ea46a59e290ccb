using HomeSignal.Hub.Api;
using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Zigbee;

public static class ZigbeeExtensions
{
    /// <summary>Optional zigbee2mqtt ingestion (section <c>Zigbee</c>, off by default): devices as sensors of virtual kits.</summary>
    public static WebApplicationBuilder AddZigbee(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<ZigbeeOptions>(ZigbeeOptions.Section);
        services.AddSingleton<IBrokerClientAccount, ZigbeeBrokerAccount>();
        services.AddSingleton(sp => new ZigbeeStateStore(StatePath(sp)));
        services.AddSingleton<ZigbeeMaintenance>();
        services.AddSingleton<ZigbeeBridge>();
        services.AddSingleton<ZigbeeConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<ZigbeeConnection>());
        return builder;
    }

    /// <summary><c>GET /api/zigbee/devices</c>: each mapped device's state, battery, link quality and availability.</summary>
    public static WebApplication MapZigbee(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/zigbee/devices", async (IOptions<ZigbeeOptions> options, IServiceProvider services, CancellationToken ct) =>
            options.Value.Enabled ? Results.Ok(await services.GetRequiredService<ZigbeeBridge>().DevicesAsync(ct)) : Results.Ok(Array.Empty<ZigbeeDeviceView>()));
        return app;
    }

    private static string StatePath(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<ZigbeeOptions>>().Value.StatePath;
        if (configured is not null)
        {
            return configured;
        }

        // Beside the event store by default, so a data directory holds everything the hub must not forget.
        var events = services.GetRequiredService<IOptions<StorageOptions>>().Value.SqlitePath;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(events)) ?? ".", "zigbee.db");
    }
}
