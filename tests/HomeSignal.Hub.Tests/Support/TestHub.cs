using System.Net.Http.Headers;
using System.Net.Http.Json;
using HomeSignal.Hub;
using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>A real hub hosted in-process through <see cref="Program.Build"/>: free MQTT and HTTP ports, temp data files.</summary>
public sealed class TestHub : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789abcdef";

    private readonly bool _deleteOnDispose;

    private TestHub(WebApplication app, string directory, bool deleteOnDispose)
    {
        _deleteOnDispose = deleteOnDispose;
        App = app;
        Directory = directory;
        Http = new HttpClient { BaseAddress = app.HttpAddress(), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public WebApplication App { get; }

    public string Directory { get; }

    public HttpClient Http { get; }

    public int MqttPort => App.MqttPort();

    public SqliteEventStore Store => App.Services.GetRequiredService<SqliteEventStore>();

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<TestHub> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null, string? directory = null, bool deleteOnDispose = true, string[]? args = null)
    {
        var dir = directory ?? System.IO.Directory.CreateTempSubdirectory("hs-hub-").FullName;
        var values = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Broker:Host"] = "127.0.0.1",
            ["Broker:Port"] = "0",
            ["Storage:SqlitePath"] = Path.Combine(dir, "events.db"),
            ["Storage:RegistryPath"] = Path.Combine(dir, "registry.db"),
            ["Api:Keys:0"] = ApiKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        // Settings read while features register (e.g. Storage:Provider) come as command-line arguments.
        var app = Program.Build(args ?? [], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new TestHub(app, dir, deleteOnDispose);
    }

    public async Task<KitCredentials> CreateKitAsync(string kitId, string? residentId = null)
    {
        var response = await Http.PostAsJsonAsync("/api/kits", new
        {
            kitId,
            residentId,
            sensors = new[]
            {
                new { sensorId = "door-front", kind = "door", room = "hal", purpose = "front-door" },
                new { sensorId = "motion-living", kind = "motion", room = "woonkamer", purpose = "presence" },
            },
        });
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<KitCredentials>())!;
    }

    public async Task<string> CreateResidentAsync(string name = "Mevrouw Jansen")
    {
        var response = await Http.PostAsJsonAsync("/api/residents", new { displayName = name, phone = "+31 6 1234 5678" });
        await EnsureSuccessAsync(response);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("residentId").GetString()!;
    }

    public static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await App.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);
        }
        finally
        {
            await App.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_deleteOnDispose)
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files never fail a test.
        }
    }
}
