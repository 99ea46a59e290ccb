using System.Globalization;
using System.Net;

namespace HomeSignal.Testing.Servers;

/// <summary>
/// A real influxd 1.x (Debian's <c>influxdb</c> package) on 127.0.0.1 with free ports and its own temp dir, started by
/// the test and stopped after it. <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> keep the ports and the data, so
/// a test can take InfluxDB down and bring it back as an outage would.
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private ServerProcess? _process;

    private InfluxServer(string directory, int httpPort, int rpcPort)
    {
        Directory = directory;
        HttpPort = httpPort;
        RpcPort = rpcPort;
    }

    public string Directory { get; }

    public int HttpPort { get; }

    public int RpcPort { get; }

    public Uri Url => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    public string ConfigPath => Path.Combine(Directory, "influxdb.conf");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running influxd's process id (e.g. for benchmarks that report its CPU time).</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public string Log => _process?.Output ?? string.Empty;

    public static async Task<InfluxServer> StartAsync()
    {
        // Fail before creating anything when the program is missing.
        RequiredTool.Find("influxd", "influxdb");
        var dir = System.IO.Directory.CreateTempSubdirectory("hs-influxd-").FullName;
        var httpPort = FreePort.Next();
        var rpcPort = FreePort.Next();
        while (rpcPort == httpPort)
        {
            rpcPort = FreePort.Next();
        }

        var server = new InfluxServer(dir, httpPort, rpcPort);
        server.WriteConfig();
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts influxd again (after <see cref="StopAsync"/>) on the same ports and data, waiting for <c>/ping</c> 204.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var binary = RequiredTool.Find("influxd", "influxdb");
        _process = ServerProcess.Start(binary, ["-config", ConfigPath], Directory);
        await WaitForPingAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops influxd (SIGTERM, then SIGKILL after a grace period); data stays for the next start.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(10));
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Runs one InfluxQL statement through the HTTP API (POST /query) and returns the raw JSON answer.</summary>
    public async Task<string> QueryAsync(string influxQl, string? database = null)
    {
        var form = new Dictionary<string, string> { ["q"] = influxQl };
        if (database is not null)
        {
            form["db"] = database;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(new Uri(Url, "/query?epoch=ns"), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"influxd answered {(int)response.StatusCode} to '{influxQl}': {body}");
        }

        return body;
    }

    /// <summary>Writes raw line protocol, bypassing the store (for setting up bad cases).</summary>
    public async Task<HttpStatusCode> WriteRawAsync(string database, string lines, string? retentionPolicy = null)
    {
        var uri = $"/write?db={Uri.EscapeDataString(database)}&precision=ns" + (retentionPolicy is null ? string.Empty : $"&rp={Uri.EscapeDataString(retentionPolicy)}");
        using var content = new StringContent(lines);
        using var response = await Http.PostAsync(new Uri(Url, uri), content);
        return response.StatusCode;
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

    private async Task WaitForPingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"influxd exited before answering /ping on port {HttpPort}:\n{Log}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(Url, "/ping"));
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"influxd did not answer /ping on 127.0.0.1:{HttpPort} within {timeout.TotalSeconds:0} s:\n{Log}");
    }

    private void WriteConfig()
    {
        string P(string name) => Path.Combine(Directory, name).Replace("\\", "/", StringComparison.Ordinal);
        var lines = new[]
        {
            "reporting-disabled = true",
            $"bind-address = \"127.0.0.1:{RpcPort}\"",
            "[meta]",
            $"  dir = \"{P("meta")}\"",
            "[data]",
            $"  dir = \"{P("data")}\"",
            $"  wal-dir = \"{P("wal")}\"",
            "  query-log-enabled = false",
            "[retention]",
            "  enabled = true",
            "  check-interval = \"1s\"",
            "[monitor]",
            "  store-enabled = false",
            "[http]",
            "  enabled = true",
            $"  bind-address = \"127.0.0.1:{HttpPort}\"",
            "  log-enabled = false",
            "[logging]",
            "  level = \"warn\"",
            "[subscriber]",
            "  enabled = false",
            "[continuous_queries]",
            "  enabled = false",
            "[[graphite]]",
            "  enabled = false",
            "[[collectd]]",
            "  enabled = false",
            "[[opentsdb]]",
            "  enabled = false",
            "[[udp]]",
            "  enabled = false",
        };
        File.WriteAllLines(ConfigPath, lines);
    }
}
