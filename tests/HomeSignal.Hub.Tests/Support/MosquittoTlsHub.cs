using System.Globalization;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Security;
using HomeSignal.Testing.Servers;
using MQTTnet;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>
/// A real mosquitto run the way the hub's Security/README.md describes: its own plain listener on 127.0.0.1 for the hub,
/// and <c>include_dir</c> with the TLS listener for kits that the hub writes (<c>Broker:MosquittoTlsConfigFile</c>).
/// The hub signals mosquitto through its pid file after every change of the password and ACL files.
/// </summary>
public sealed class MosquittoTlsHub : IAsyncDisposable
{
    private MosquittoTlsHub(MosquittoServer mosquitto, TestHub hub, string directory, int tlsPort)
    {
        Mosquitto = mosquitto;
        Hub = hub;
        Directory = directory;
        TlsPort = tlsPort;
    }

    public MosquittoServer Mosquitto { get; }

    public TestHub Hub { get; }

    public string Directory { get; }

    /// <summary>The port of the hub-written TLS listener kits use.</summary>
    public int TlsPort { get; }

    public CertificateAuthority Ca => Hub.Get<CertificateAuthority>();

    public string TlsConfigFile => Path.Combine(Directory, "conf.d", "homesignal-tls.conf");

    public static async Task<MosquittoTlsHub> StartAsync()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("hs-mtls-").FullName;
        var confd = Path.Combine(dir, "conf.d");
        System.IO.Directory.CreateDirectory(confd);
        var pidFile = Path.Combine(dir, "mosquitto.pid");

        // Run as root in tests: mosquitto would otherwise drop to its own user and not read files in our 0700 temp dirs.
        // A bounded queue: with 0, mosquitto 2.0.11 drops a connection on an ACL-denied QoS 1 publish.
        var mosquitto = await MosquittoServer.StartAsync(["user root", $"pid_file {pidFile}", $"include_dir {confd}"], allowAnonymous: false, maxQueuedMessages: 10_000);
        var tlsPort = FreePort.Next();
        var hub = await TestHub.StartAsync(new Dictionary<string, string?>
        {
            ["Broker:Mode"] = "External",
            ["Broker:Host"] = mosquitto.Host,
            ["Broker:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture),
            ["Broker:Username"] = MosquittoHub.HubUser,
            ["Broker:Password"] = MosquittoHub.HubPassword,
            ["Broker:MosquittoPasswordFile"] = Path.Combine(dir, "mosquitto.passwd"),
            ["Broker:MosquittoAclFile"] = Path.Combine(dir, "mosquitto.acl"),
            ["Broker:MosquittoTlsConfigFile"] = Path.Combine(confd, "homesignal-tls.conf"),
            ["Broker:MosquittoTlsPort"] = tlsPort.ToString(CultureInfo.InvariantCulture),
            ["Broker:MosquittoTlsBindAddress"] = "127.0.0.1",
            ["Broker:MosquittoPidFile"] = pidFile,
            ["Broker:ReconnectInterval"] = "00:00:00.200",
            ["Tls:Enabled"] = "true",
            ["Tls:Directory"] = Path.Combine(dir, "tls"),
        }, directory: dir, deleteOnDispose: false);

        // Listeners are read only at start: mosquitto is restarted once after the hub wrote its TLS listener.
        await mosquitto.RestartAsync();
        await Eventually.TrueAsync(async () =>
        {
            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(mosquitto.Host, tlsPort);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }, "mosquitto opens the hub-written TLS listener");
        var connection = hub.Get<HubMqttConnection>();
        await Eventually.TrueAsync(() => connection.IsConnected, "the hub connects to mosquitto with the account it wrote");
        return new MosquittoTlsHub(mosquitto, hub, dir, tlsPort);
    }

    /// <summary>Connects a kit over TLS, retrying while mosquitto reloads the hub's files (as after creating the kit).</summary>
    public async Task<SimulatedKit> ConnectKitAsync(string kitId, string password, MqttClientTlsOptions tls)
    {
        var kit = new SimulatedKit(kitId);
        var code = MqttClientConnectResultCode.UnspecifiedError;
        await Eventually.TrueAsync(async () => (code = await kit.ConnectAsync(TlsPort, kitId, password, tls: tls)) == MqttClientConnectResultCode.Success,
            $"kit {kitId} connects to mosquitto over TLS (last answer {code})");
        return kit;
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
