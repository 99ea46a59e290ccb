using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Sensors;

public static class SensorsSetup
{
    /// <summary>GPIO sensors (hardware or simulated), the status LED, injection and the simulate-mode load generator.</summary>
    public static HostApplicationBuilder AddSensors(this HostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GpioOptions>().Bind(builder.Configuration.GetSection(GpioOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GpioOptions>, GpioOptionsValidator>();

        // Read the mode now: the simulated driver must exist (and be the same instance for the bank and the injector)
        // only when asked for; a hardware kit has no injector backend.
        var mode = builder.Configuration.GetSection(GpioOptions.Section).GetValue<GpioMode?>(nameof(GpioOptions.Mode)) ?? GpioMode.Hardware;
        if (mode == GpioMode.Simulated)
        {
            builder.Services.AddSingleton<SimulatedGpioDriver>();
        }

        builder.Services.AddSingleton<StatusLed>();
        builder.Services.AddSingleton<SensorBank>();
        builder.Services.AddSingleton<SensorInjector>();
        builder.Services.AddHostedService<SensorService>();
        builder.Services.AddHostedService<LoadGenerator>();
        builder.Services.AddHostedService<ConsoleInjection>();
        return builder;
    }
}
