using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Health;

public static class HealthExtensions
{
    /// <summary>The last-seen watchdog over heartbeats and the sensor staleness check.</summary>
    public static WebApplicationBuilder AddKitHealth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<HealthOptions>(HealthOptions.Section);
        services.AddSingleton<SensorGapProfiles>();
        services.AddSingleton<KitHealthTracker>();
        services.AddSingleton<KitHealthStore>();
        services.AddSingleton<KitWatchdog>();
        services.AddHostedService<HealthService>();
        return builder;
    }
}
