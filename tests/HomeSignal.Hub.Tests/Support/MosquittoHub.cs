using HomeSignal.Hub.Ingestion;
using HomeSignal.Testing.Servers;
using MQTTnet;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>
/// A real mosquitto with anonymous access off, reading the password and ACL files the hub writes, and a hub in
/// external-broker mode connected to it.
/// </summary>
public sealed class MosquittoHub : IAsyncDisposable
{
    public const string HubUser = "homesignal-hub";
    public const string HubPassword = "hub-secret-for-tests";

    private MosquittoHub(MosquittoServer mosquitto, TestHub hub, string directory)
    {
        Mosquitto = mosquitto;
        Hub = hub;
        Directory = directory;
    }

    public MosquittoServer Mosquitto { get; }

    public TestHub Hub { get; private set; }

    public string Directory { get; }

    public static async Task<MosquittoHub> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("hs-mhub-").FullName;
        var passwords = Path.Combine(dir, "mosquitto.passwd");
        var acl = Path.Combine(dir, "mosquitto.acl");
        await File.WriteAllTextAsync(passwords, string.Empty);
        await File.WriteAllTextAsync(acl, string.Empty);

        // Run as root in tests: mosquitto would otherwise drop to its own user and not read files in our 0700 temp dir.
        var mosquitto = await MosquittoServer.StartAsync(["user root", $"password_file {passwords}", $"acl_file {acl}"], allowAnonymous: false);
        var hub = await StartHubAsync(mosquitto, dir, settings);
        return new MosquittoHub(mosquitto, hub, dir);
    }

    public static async Task<TestHub> StartHubAsync(MosquittoServer mosquitto, string directory, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Broker:Mode"] = "External",
            ["Broker:Host"] = mosquitto.Host,
            ["Broker:Port"] = mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Broker:Username"] = HubUser,
            ["Broker:Password"] = HubPassword,
            ["Broker:MosquittoPasswordFile"] = Path.Combine(directory, "mosquitto.passwd"),
            ["Broker:MosquittoAclFile"] = Path.Combine(directory, "mosquitto.acl"),
            ["Broker:ReconnectInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var hub = await TestHub.StartAsync(values, directory: directory, deleteOnDispose: false);
        mosquitto.Reload();
        var connection = hub.Get<HubMqttConnection>();
        await Eventually.TrueAsync(() => connection.IsConnected, "the hub connects to mosquitto with the account it wrote");
        return hub;
    }

    /// <summary>Reloads mosquitto's files and connects the kit, retrying while the reload is under way.</summary>
    public async Task<SimulatedKit> ConnectKitAsync(string kitId, string username, string password)
    {
        Mosquitto.Reload();
        var kit = new SimulatedKit(kitId);
        var code = MqttClientConnectResultCode.UnspecifiedError;
        await Eventually.TrueAsync(async () => (code = await kit.ConnectAsync(Mosquitto.Port, username, password)) == MqttClientConnectResultCode.Success,
            $"kit {kitId} connects to mosquitto (last answer {code})");
        return kit;
    }

    public async Task RestartHubAsync(IDictionary<string, string?>? settings = null)
    {
        await Hub.DisposeAsync();
        Hub = await StartHubAsync(Mosquitto, Directory, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Mosquitto.DisposeAsync();
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
