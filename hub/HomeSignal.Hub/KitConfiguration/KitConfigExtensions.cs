using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.KitConfiguration;

public static class KitConfigExtensions
{
    /// <summary>The retained <c>KitConfig</c> per kit (heartbeat interval, sensors with room and purpose).</summary>
    public static WebApplicationBuilder AddKitConfig(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<KitConfigOptions>(KitConfigOptions.Section);
        builder.Services.AddSingleton<KitConfigPublisher>();
        builder.Services.AddSingleton<KitConfigService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KitConfigService>());
        return builder;
    }
}
