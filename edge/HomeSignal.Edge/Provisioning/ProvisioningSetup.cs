using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Sensors;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Provisioning;

public static class ProvisioningSetup
{
    /// <summary>
    /// Makes the stored enrolment (<c>{Kit:DataDirectory}/enrolment.json</c>) the last settings source, so an enrolled
    /// kit starts with the credentials and kit id the hub gave it.
    /// </summary>
    public static HostApplicationBuilder AddEnrolment(this HostApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration[$"{KitOptions.Section}:{nameof(KitOptions.DataDirectory)}"];
        if (!string.IsNullOrWhiteSpace(dataDirectory) && Path.IsPathFullyQualified(dataDirectory))
        {
            builder.Configuration.AddJsonFile(EnrolmentFile.PathIn(dataDirectory), optional: true, reloadOnChange: false);
        }

        return builder;
    }

    /// <summary>No MQTT credentials (a kit always has a username and password) but a hub to enrol with: claim mode.</summary>
    public static bool IsClaimMode(this HostApplicationBuilder builder) =>
        string.IsNullOrWhiteSpace(builder.Configuration["Mqtt:Username"])
        && !string.IsNullOrWhiteSpace(builder.Configuration[$"{ProvisioningOptions.Section}:{nameof(ProvisioningOptions.HubUrl)}"]);

    /// <summary>Claim mode: the data directory, the sensors' description and the claimer; no GPIO, no outbox, no MQTT.</summary>
    public static HostApplicationBuilder AddClaimMode(this HostApplicationBuilder builder, Func<IHost> buildKit)
    {
        builder.Services.AddOptions<KitOptions>().Bind(builder.Configuration.GetSection(KitOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KitOptions>>(new KitOptionsValidator(kitIdRequired: false));
        builder.Services.AddOptions<GpioOptions>().Bind(builder.Configuration.GetSection(GpioOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GpioOptions>, GpioOptionsValidator>();
        builder.Services.AddOptions<ProvisioningOptions>().Bind(builder.Configuration.GetSection(ProvisioningOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProvisioningOptions>, ProvisioningOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<KitIdentity>();
        builder.Services.AddSingleton<DataDirectory>();
        builder.Services.AddSingleton(sp =>
        {
            var hub = sp.GetRequiredService<IOptions<ProvisioningOptions>>().Value.HubUrl!;
            return new ClaimClient(new HttpClient { BaseAddress = new Uri(hub.EndsWith('/') ? hub : hub + "/"), Timeout = TimeSpan.FromSeconds(30) });
        });
        builder.Services.AddSingleton<Claimer>();
        builder.Services.AddSingleton(new KitLauncher(buildKit));
        builder.Services.AddHostedService<ClaimModeService>();
        builder.Services.AddSystemd();
        builder.Services.TryAddSingleton<Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier, Microsoft.Extensions.Hosting.Systemd.SystemdNotifier>();
        builder.Services.AddHostedService<ClaimWatchdog>();
        return builder;
    }
}
