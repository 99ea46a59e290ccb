using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Liveness;

public static class LivenessSetup
{
    /// <summary>Clock watch and heartbeat (registered before the other features' services).</summary>
    public static HostApplicationBuilder AddLiveness(this HostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LivenessOptions>().Bind(builder.Configuration.GetSection(LivenessOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LivenessOptions>, LivenessOptionsValidator>();
        builder.Services.AddSingleton<ClockSync>();
        builder.Services.AddSingleton<SystemProbe>();
        builder.Services.AddSingleton<HeartbeatSchedule>();
        builder.Services.AddSingleton<HeartbeatComposer>();
        builder.Services.AddHostedService<HeartbeatService>();
        return builder;
    }

    /// <summary>Boot / power-restored events and the clean-shutdown marker: first to start, last to stop.</summary>
    public static HostApplicationBuilder AddLifecycle(this HostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<LifecycleService>();
        return builder;
    }

    /// <summary>Type=notify start-up, journal-friendly logs and the systemd watchdog.</summary>
    public static HostApplicationBuilder AddSystemdService(this HostApplicationBuilder builder)
    {
        builder.Services.AddSystemd();
        builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddHostedService<WatchdogService>();
        return builder;
    }
}
