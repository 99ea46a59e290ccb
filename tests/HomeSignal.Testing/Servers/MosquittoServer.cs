using System.Globalization;

namespace HomeSignal.Testing.Servers;

/// <summary>
/// A real mosquitto broker on 127.0.0.1 with a free port and its own temp dir, started by the test and stopped after it.
/// By default it allows anonymous clients (for plain transport tests); pass <paramref name="extraConfig"/> lines, e.g.
/// <c>password_file</c> and <c>acl_file</c> written by the hub, to test identity and ACLs.
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private ServerProcess? _process;

    private MosquittoServer(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; private set; }

    public string Host => "127.0.0.1";

    public string ConfigPath => Path.Combine(Directory, "mosquitto.conf");

    public string Log => _process?.Output ?? string.Empty;

    /// <param name="maxQueuedMessages">
    /// 0 (the default here) is unbounded. Mosquitto 2.0.11 drops a connection whose QoS 1 publish is ACL-denied when this
    /// is 0, so tests that need the connection to survive a refused publish pass a bounded value.
    /// </param>
    public static async Task<MosquittoServer> StartAsync(IEnumerable<string>? extraConfig = null, bool allowAnonymous = true, int maxQueuedMessages = 0)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("hs-mosquitto-").FullName;
        var server = new MosquittoServer(dir, FreePort.Next());
        server.WriteConfig(extraConfig ?? [], allowAnonymous, maxQueuedMessages);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Restarts the broker on the same port (e.g. to test a broker restart under load, or to reload ACLs).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(5));
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Asks the running broker to reload its password and ACL files (SIGHUP).</summary>
    public void Reload()
    {
        if (_process is { HasExited: false } p)
        {
            System.Diagnostics.Process.Start("kill", ["-HUP", p.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit(2000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless; never fail a test on clean-up.
        }
    }

    private void WriteConfig(IEnumerable<string> extraConfig, bool allowAnonymous, int maxQueuedMessages)
    {
        var lines = new List<string>
        {
            "per_listener_settings false",
            $"listener {Port} 127.0.0.1",
            $"allow_anonymous {(allowAnonymous ? "true" : "false")}",
            "persistence false",
            // Unbounded queues by default: the hub must be able to fall behind without the broker silently dropping QoS 1 messages.
            $"max_queued_messages {maxQueuedMessages.ToString(CultureInfo.InvariantCulture)}",
            "max_inflight_messages 0",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
        };
        lines.AddRange(extraConfig);
        File.WriteAllLines(ConfigPath, lines);
    }

    private async Task StartProcessAsync()
    {
        var binary = RequiredTool.Find("mosquitto", "mosquitto");
        _process = ServerProcess.Start(binary, ["-c", ConfigPath], Directory);
        await _process.WaitForPortAsync(Port, TimeSpan.FromSeconds(15), "mosquitto");
    }
}
