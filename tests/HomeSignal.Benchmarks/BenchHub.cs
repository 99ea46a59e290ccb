using System.Globalization;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Testing.Servers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using HubProgram = HomeSignal.Hub.Program;

namespace HomeSignal.Benchmarks;

/// <summary>
/// The real hub as the benchmarks run it: in this process, HTTP on a free loopback port, its SQLite files in a temp
/// directory of its own (deleted on dispose), warnings only. Each benchmark adds the settings it measures.
/// </summary>
internal sealed class BenchHub : IAsyncDisposable
{
    private bool _started;

    private BenchHub(WebApplication app, string directory)
    {
        App = app;
        Directory = directory;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The hub's temp directory, for files a benchmark wants next to the hub's.</summary>
    public string Directory { get; }

    /// <summary>The settings that point the hub at a benchmark's mosquitto, as an external broker with a persistent session.</summary>
    public static Dictionary<string, string?> ExternalBroker(MosquittoServer mosquitto, string clientId) => new()
    {
        ["Broker:Mode"] = "External",
        ["Broker:Host"] = mosquitto.Host,
        ["Broker:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture),
        ["Broker:Username"] = "bench-hub",
        ["Broker:Password"] = "bench-hub-password",
        ["Broker:ClientId"] = clientId,
    };

    public static async Task<BenchHub> StartAsync(string name, string[] args, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory($"hs-bench-{name}-").FullName;
        var configuration = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Storage:SqlitePath"] = Path.Combine(directory, "events.db"),
            ["Storage:RegistryPath"] = Path.Combine(directory, "registry.db"),
            ["Api:Keys:0"] = "bench-api-key-0123456789",
            ["Logging:LogLevel:Default"] = "Warning",

            // Plain MQTT on 127.0.0.1 is the benchmarks' choice; the hub's warning about it says nothing here.
            ["Logging:LogLevel:HomeSignal.Hub.Security.TlsStartup"] = "Error",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        var hub = new BenchHub(HubProgram.Build(args, builder => builder.Configuration.AddInMemoryCollection(configuration)), directory);
        try
        {
            await hub.App.StartAsync(cancellationToken);
            hub._started = true;
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits (at most 30 s) until the hub is connected to its external broker and subscribed.</summary>
    public async Task WaitUntilReceivingAsync(CancellationToken cancellationToken)
    {
        var connection = Services.GetRequiredService<HubMqttConnection>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!connection.IsReceiving && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        if (!connection.IsReceiving)
        {
            throw new TimeoutException("The hub did not connect and subscribe to mosquitto within 30 s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await App.StopAsync(CancellationToken.None);
        }

        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
