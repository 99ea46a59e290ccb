using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Detection;

public static class DetectionExtensions
{
    /// <summary>Per-resident routines, acute rules every minute and the nightly pass, writing signals.</summary>
    public static WebApplicationBuilder AddDetection(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<HubDetectionOptions>(HubDetectionOptions.Section);
        builder.Services.AddSingleton<ResidentMonitor>();
        builder.Services.AddSingleton<DetectionWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DetectionWorker>());
        return builder;
    }
}
