using HomeSignal.Edge.Hub;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Liveness;
using HomeSignal.Edge.Outbox;
using HomeSignal.Edge.Provisioning;
using HomeSignal.Edge.Sensors;

namespace HomeSignal.Edge;

/// <summary>Entry point. <see cref="Build"/> is public so the demo and tests host the same worker in-process.</summary>
public static class Program
{
    /// <summary>Environment variable naming the kit's JSON settings file (the install script sets /etc/homesignal/edge.json).</summary>
    public const string ConfigFileVariable = "HOMESIGNAL_EDGE_CONFIG";

    /// <summary>Prefix of environment variables that override settings, e.g. <c>HOMESIGNAL_EDGE_Mqtt__Host</c>.</summary>
    public const string EnvironmentPrefix = "HOMESIGNAL_EDGE_";

    public static IHost Build(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
        builder.AddKitConfiguration(args);
        configure?.Invoke(builder);
        builder.AddEnrolment();
        if (builder.IsClaimMode())
        {
            // No credentials yet: show a claim code and wait for enrolment; then the kit below starts in this process.
            builder.AddClaimMode(() => Build(args, configure));
            return builder.Build();
        }

        builder.AddKit();
        builder.AddLifecycle();
        builder.AddOutbox();
        builder.AddSensors();
        builder.AddHubLink();
        builder.AddLiveness();
        builder.AddSystemdService();
        return builder.Build();
    }

    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>
    /// Settings, later ones winning: the defaults embedded from appsettings.json (pins, capacities, intervals), the kit's
    /// file named by <see cref="ConfigFileVariable"/>, <see cref="EnvironmentPrefix"/> variables, the command line, and
    /// finally whatever the <c>configure</c> callback adds (in-memory settings of tests and the demo).
    /// </summary>
    private static void AddKitConfiguration(this HostApplicationBuilder builder, string[] args)
    {
        var defaults = typeof(Program).Assembly.GetManifestResourceStream("HomeSignal.Edge.appsettings.json")
            ?? throw new InvalidOperationException("The embedded default settings are missing from the build.");
        builder.Configuration.AddJsonStream(defaults);
        if (Environment.GetEnvironmentVariable(ConfigFileVariable) is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddCommandLine(args);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
    }
}
