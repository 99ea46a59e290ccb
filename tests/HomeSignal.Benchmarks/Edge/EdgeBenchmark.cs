using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Edge.Outbox;
using HomeSignal.Edge.Sensors;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using EdgeProgram = HomeSignal.Edge.Program;

namespace HomeSignal.Benchmarks.Edge;

/// <summary>
/// The kit's idle cost, how fast it replays a 72-hour backlog, and event → hub-ack latency, all on loopback through one
/// real mosquitto and the acking stand-in hub. Baseline, measured in the same run through the same broker: the raw MQTT
/// QoS 1 publish/PUBACK round trip (sequential, and 16 in flight).
/// </summary>
public sealed class EdgeBenchmark : IBenchmark
{
    /// <summary>A busy household: five sensors, ~1,500 debounced events an hour.</summary>
    private const int BusyEventsPerHour = 1_500;
    private const int BacklogHours = 72;
    private const int LatencySamples = 400;

    public string Name => "edge";

    public string Description => "kit idle CPU/RSS, 72 h backlog replay rate, event → hub-ack latency vs raw QoS 1 round trip";

    public TimeSpan TimeLimit => TimeSpan.FromMinutes(8);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("hs-bench-edge-").FullName;
        try
        {
            await using var broker = await MosquittoServer.StartAsync();
            var baseline = await RawRoundTripAsync(broker, 2_000, cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"baseline  raw QoS 1 publish→PUBACK: p50 {baseline.P50:0.000} ms, p99 {baseline.P99:0.000} ms; sequential {baseline.SequentialRate:0} msg/s, 16 in flight {baseline.PipelinedRate:0} msg/s"));

            await using var hub = await AckingHub.StartAsync(broker.Host, broker.Port, Path.Combine(work, "hub.db"), cancellationToken);

            var latency = await LatencyAsync(broker, hub, Path.Combine(work, "latency"), cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency   event → hub ack ({LatencySamples} door events, hub commits with synchronous=FULL): p50 {latency.P50:0.00} ms, p99 {latency.P99:0.00} ms " +
                $"(×{latency.P50 / baseline.P50:0.0} / ×{latency.P99 / baseline.P99:0.0} the raw round trip)"));

            var replay = await ReplayAsync(broker, hub, Path.Combine(work, "replay"), cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay    72 h backlog of a busy household ({replay.Events} events, {replay.Bytes / 1024.0 / 1024.0:0.0} MiB): {replay.Seconds:0.0} s, {replay.Rate:0} events/s " +
                $"({replay.Rate / baseline.PipelinedRate:0.00} of raw pipelined QoS 1, {replay.Rate / baseline.SequentialRate:0.00} of raw sequential)"));

            var idle = await IdleAsync(broker, Path.Combine(work, "idle"), cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"idle      kit process, connected, no events, 60 s heartbeat: CPU {idle.CpuPercent:0.00} % of one core over {idle.Seconds:0} s, RSS {idle.RssMiB:0.0} MiB"));

            // Targets: a 72 h backlog drains within 5 minutes; p99 event → ack stays under 1 s on loopback;
            // idle costs under 2 % of a core and under 150 MiB (a Pi 3/4 with 1 GB has room for it).
            var ok = replay.Seconds < 300 && latency.P99 < 1_000 && idle.CpuPercent < 2 && idle.RssMiB < 150;
            output.WriteLine("targets   replay < 300 s, p99 < 1000 ms, idle CPU < 2 %, RSS < 150 MiB");
            return ok;
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Leftover temp files are harmless.
            }
        }
    }

    private static async Task<(double P50, double P99, double SequentialRate, double PipelinedRate)> RawRoundTripAsync(MosquittoServer broker, int count, CancellationToken ct)
    {
        using var subscriber = await ConnectAsync(broker, "bench-sub", ct);
        await subscriber.SubscribeAsync("bench/raw", MqttQualityOfServiceLevel.AtLeastOnce, ct);
        using var publisher = await ConnectAsync(broker, "bench-pub", ct);
        var payload = new byte[220];
        var message = new MqttApplicationMessageBuilder().WithTopic("bench/raw").WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        for (var i = 0; i < 200; i++)
        {
            await publisher.PublishAsync(message, ct);
        }

        var samples = new double[count];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await publisher.PublishAsync(message, ct);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var sequentialRate = count / total.Elapsed.TotalSeconds;
        total.Restart();
        for (var i = 0; i < count; i += 16)
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => publisher.PublishAsync(message, ct)));
        }

        var pipelinedRate = count / total.Elapsed.TotalSeconds;
        Array.Sort(samples);
        return (Percentile(samples, 0.50), Percentile(samples, 0.99), sequentialRate, pipelinedRate);
    }

    private static async Task<(double P50, double P99)> LatencyAsync(MosquittoServer broker, AckingHub hub, string data, CancellationToken ct)
    {
        const string kitId = "kit-bench-latency";
        var acked = new Dictionary<long, long>();
        using var probe = await ConnectAsync(broker, "bench-ack-probe", ct);
        probe.ApplicationMessageReceivedAsync += e =>
        {
            var now = Stopwatch.GetTimestamp();
            if (ContractReader.ReadAck(e.ApplicationMessage.Payload.ToArray(), kitId) is { IsValid: true } ack)
            {
                lock (acked)
                {
                    foreach (var range in ack.Value!.Stored)
                    {
                        for (var seq = range.From; seq <= range.To; seq++)
                        {
                            acked.TryAdd(seq, now);
                        }
                    }
                }
            }

            return Task.CompletedTask;
        };
        await probe.SubscribeAsync(KitTopics.For(kitId, KitChannel.Acks), MqttQualityOfServiceLevel.AtLeastOnce, ct);

        var settings = KitSettings(kitId, data, broker);
        settings["Gpio:Sensors:0:DebounceMilliseconds"] = "5";
        using var kit = EdgeProgram.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        await kit.StartAsync(ct);
        var injector = kit.Services.GetRequiredService<SensorInjector>();
        var outbox = kit.Services.GetRequiredService<OutboxStore>();
        await WaitAsync(() => outbox.Stats().Depth == 0 && hub.Count(kitId) > 0, TimeSpan.FromSeconds(30), ct);

        var injected = new Dictionary<long, long>();
        for (var i = 0; i < LatencySamples; i++)
        {
            var before = outbox.LastSeq;
            var start = Stopwatch.GetTimestamp();
            if (i % 2 == 0)
            {
                injector.Open("door-front");
            }
            else
            {
                injector.Close("door-front");
            }

            // The injection records synchronously: the new sequence number is the event just committed.
            if (outbox.LastSeq > before)
            {
                injected[outbox.LastSeq] = start;
            }

            await Task.Delay(20, ct);
        }

        await WaitAsync(() => { lock (acked) { return injected.Keys.All(acked.ContainsKey); } }, TimeSpan.FromSeconds(60), ct);
        await kit.StopAsync(ct);
        double[] samples;
        lock (acked)
        {
            samples = [.. injected.Select(kv => Stopwatch.GetElapsedTime(kv.Value, acked[kv.Key]).TotalMilliseconds).Order()];
        }

        return (Percentile(samples, 0.50), Percentile(samples, 0.99));
    }

    private static async Task<(int Events, long Bytes, double Seconds, double Rate)> ReplayAsync(MosquittoServer broker, AckingHub hub, string data, CancellationToken ct)
    {
        const string kitId = "kit-bench-replay";
        Directory.CreateDirectory(data);
        var events = BusyEventsPerHour * BacklogHours;
        long bytes;
        var oldBoot = Guid.NewGuid().ToString("N");
        var start = DateTimeOffset.UtcNow.AddHours(-BacklogHours);
        using (var store = new OutboxStore(Path.Combine(data, "outbox.db"), 250_000, 64L * 1024 * 1024))
        {
            string[] sensors = ["door-front", "motion-living", "motion-bedroom", "motion-kitchen", "mailbox-flap"];
            for (var written = 0; written < events; written += 1_000)
            {
                var builds = Enumerable.Range(written, Math.Min(1_000, events - written)).Select(i => (Func<long, SensorEvent>)(seq =>
                {
                    var sensor = sensors[i % sensors.Length];
                    var motion = sensor.StartsWith("motion", StringComparison.Ordinal);
                    return new SensorEvent
                    {
                        KitId = kitId,
                        BootId = oldBoot,
                        Seq = seq,
                        SensorId = sensor,
                        Kind = motion ? SensorKind.Motion : sensor == "door-front" ? SensorKind.Door : SensorKind.MailboxFlap,
                        State = motion ? (i / 5 % 2 == 0 ? SensorStates.Active : SensorStates.Inactive) : (i / 5 % 2 == 0 ? SensorStates.Open : SensorStates.Closed),
                        Ts = start.AddSeconds(i * 3600.0 / BusyEventsPerHour),
                        ClockSynced = true,
                    };
                })).ToList();
                store.Append(builds, seq => throw new InvalidOperationException("The benchmark outbox must not overflow."));
            }

            bytes = store.Stats().Bytes;
        }

        // The kit comes back online with the backlog; the clock runs from its start until the outbox is empty.
        using var kit = EdgeProgram.Build([], b => b.Configuration.AddInMemoryCollection(KitSettings(kitId, data, broker)));
        var outbox = kit.Services.GetRequiredService<OutboxStore>();
        var clock = Stopwatch.StartNew();
        await kit.StartAsync(ct);
        await WaitAsync(() => outbox.Stats().Depth == 0, TimeSpan.FromMinutes(5), ct);
        var seconds = clock.Elapsed.TotalSeconds;
        await kit.StopAsync(ct);
        var stored = hub.Count(kitId);
        if (stored < events)
        {
            throw new InvalidOperationException($"The hub stored {stored} of {events} replayed events.");
        }

        return (events, bytes, seconds, events / seconds);
    }

    private static async Task<(double CpuPercent, double RssMiB, double Seconds)> IdleAsync(MosquittoServer broker, string data, CancellationToken ct)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "HomeSignal.Edge.dll");
        var args = new List<string> { dll };
        args.AddRange(KitSettings("kit-bench-idle", data, broker).Select(kv => $"--{kv.Key}={kv.Value}"));
        args.Add("--Logging:LogLevel:Default=Warning");
        await using var process = ServerProcess.Start("dotnet", args, AppContext.BaseDirectory);
        // Let start-up and JIT settle before measuring.
        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        if (process.HasExited)
        {
            throw new InvalidOperationException("The kit process exited:\n" + process.Output);
        }

        var ticks = CpuTicks(process.Id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(30), ct);
        var used = (CpuTicks(process.Id) - ticks) / 100.0; // USER_HZ is 100 on Linux
        var seconds = clock.Elapsed.TotalSeconds;
        var rss = RssKiB(process.Id) / 1024.0;
        await process.StopAsync(TimeSpan.FromSeconds(10));
        return (used / seconds * 100, rss, seconds);
    }

    private static Dictionary<string, string?> KitSettings(string kitId, string data, MosquittoServer broker) => new()
    {
        ["Kit:KitId"] = kitId,
        ["Kit:DataDirectory"] = data,
        ["Mqtt:Host"] = broker.Host,
        ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
        ["Mqtt:UseTls"] = "false",
        ["Mqtt:Username"] = kitId,
        ["Mqtt:Password"] = "bench-secret",
        ["Gpio:Mode"] = "Simulated",
        ["Liveness:AssumeClockSynced"] = "true",
    };

    private static long CpuTicks(int pid)
    {
        // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command name) are utime and stime.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static long RssKiB(int pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static async Task<IMqttClient> ConnectAsync(MosquittoServer broker, string clientId, CancellationToken ct)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId).WithCredentials(clientId, "bench").Build(), ct);
        return client;
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(20, ct);
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
