using System.Diagnostics;
using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Benchmarks.Ingest;

/// <summary>
/// The simulated kits of the "kits" benchmark, run as a child process of the benchmark (this same program, benchmark
/// name "kit-swarm", with HS_SWARM_* set). Run on its own it does nothing and says so.
/// </summary>
public sealed class KitSwarm : IBenchmark, IDisposable
{
    private readonly Process? _process;
    private readonly System.Text.StringBuilder _output = new();

    public KitSwarm()
    {
    }

    private KitSwarm(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Contains("connected at the end", StringComparison.Ordinal))
            {
                lock (_output)
                {
                    _output.Append(line.Trim());
                }
            }
        };
        process.BeginOutputReadLine();
    }

    public string Name => "kit-swarm";

    public string Description => "helper of 'kits': the simulated kits, in their own process";

    public TimeSpan TimeLimit => TimeSpan.FromMinutes(20);

    public bool HasExited => _process?.HasExited ?? true;

    public string Summary
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static KitSwarm Start(string credentialsFile, int port, int seconds, int interval)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program to start the kit swarm.");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(KitSwarm).Assembly.Location);
        }

        info.ArgumentList.Add("kit-swarm");
        info.Environment["HS_SWARM_FILE"] = credentialsFile;
        info.Environment["HS_SWARM_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["HS_SWARM_SECONDS"] = seconds.ToString(CultureInfo.InvariantCulture);
        info.Environment["HS_SWARM_INTERVAL"] = interval.ToString(CultureInfo.InvariantCulture);
        return new KitSwarm(Process.Start(info)!);
    }

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var file = Environment.GetEnvironmentVariable("HS_SWARM_FILE");
        if (file is null)
        {
            output.WriteLine("   (runs only as part of the 'kits' benchmark)");
            return true;
        }

        var port = IngestBenchmark.Setting("HS_SWARM_PORT", 1883);
        var seconds = IngestBenchmark.Setting("HS_SWARM_SECONDS", 60);
        var interval = IngestBenchmark.Setting("HS_SWARM_INTERVAL", 15);
        var kits = (await File.ReadAllLinesAsync(file, cancellationToken)).Select(l => l.Split(':', 2)).ToList();
        var clients = new IMqttClient[kits.Count];
        var boot = Guid.NewGuid().ToString("N");
        var failed = 0;
        var heartbeats = 0L;
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(kits.Select(async (kit, i) =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var client = new MqttClientFactory().CreateMqttClient();
                await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithClientId(kit[0]).WithCredentials(kit[0], kit[1]).WithKeepAlivePeriod(TimeSpan.FromSeconds(120)).WithTimeout(TimeSpan.FromSeconds(60)).Build(), cancellationToken);
                clients[i] = client;
                await HeartbeatAsync(client, kit[0], boot, interval, cancellationToken);
                Interlocked.Increment(ref heartbeats);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                gate.Release();
            }
        }));

        // Heartbeats spread evenly over each interval, for the rest of the run.
        var end = DateTime.UtcNow.AddSeconds(seconds);
        var spacing = TimeSpan.FromSeconds((double)interval / Math.Max(1, kits.Count));
        var next = DateTime.UtcNow;
        for (var i = 0; DateTime.UtcNow < end; i = (i + 1) % kits.Count)
        {
            if (clients[i] is { IsConnected: true } client)
            {
                try
                {
                    await HeartbeatAsync(client, kits[i][0], boot, interval, cancellationToken);
                    heartbeats++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed++;
                }
            }

            next += spacing;
            var wait = next - DateTime.UtcNow;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }
        }

        var connected = clients.Count(c => c is { IsConnected: true });
        output.WriteLine($"{connected} kits connected at the end, {heartbeats} heartbeats sent, {failed} failures");
        foreach (var client in clients.Where(c => c is not null))
        {
            client.Dispose();
        }

        return failed == 0;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
    }

    private static Task<MqttClientPublishResult> HeartbeatAsync(IMqttClient client, string kitId, string boot, int interval, CancellationToken cancellationToken) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(KitTopics.For(kitId, KitChannel.Heartbeat))
            .WithPayload(ContractReader.Write(new Heartbeat
            {
                KitId = kitId,
                BootId = boot,
                Ts = DateTimeOffset.UtcNow,
                UptimeSeconds = 1,
                IntervalSeconds = interval,
                ClockSynced = true,
                Outbox = new OutboxHealth { Depth = 0, Bytes = 0, CapacityEvents = 100_000, CapacityBytes = 50_000_000 },
                SoftwareVersion = "bench",
            }))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
}
