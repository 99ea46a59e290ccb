using HomeSignal.Hub.Aggregation;
using HomeSignal.Hub.Api;
using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Detection;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.KitConfiguration;
using HomeSignal.Hub.Provisioning;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Security;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Zigbee;

namespace HomeSignal.Hub;

/// <summary>Entry point. <see cref="Build"/> is public so the demo and tests host the same application in-process.</summary>
public static class Program
{
    /// <summary>
    /// Builds the hub. <paramref name="configure"/> runs after the features are registered, so it can override
    /// configuration (ports, paths, keys), URLs (<c>http://127.0.0.1:0</c>) and services such as <see cref="TimeProvider"/>.
    /// After start, <c>app.MqttPort()</c> and <c>app.HttpAddress()</c> tell where it listens.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });

        builder.AddStorage();
        builder.AddRegistry();
        builder.AddTls();
        builder.AddHttps();
        builder.AddBroker();
        builder.AddKitHealth();
        builder.AddIngestion();
        builder.AddZigbee();
        builder.AddKitConfig();
        builder.AddAggregation();
        builder.AddDetection();
        builder.AddProvisioning();
        builder.AddHubApi();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapHubApi();
        app.MapZigbee();
        app.MapProvisioning();
        return app;
    }

    public static Task Main(string[] args) => Build(args).RunAsync();
}
