using System.Diagnostics;
using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Registry;
using HomeSignal.Testing.Servers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Benchmarks.Ingest;

/// <summary>
/// Events stored durably and acknowledged per second, kits → real mosquitto → hub → SQLite, against the same broker
/// delivering the same load to one plain MQTTnet subscriber that only counts (auto PUBACK), in alternating rounds of
/// one run. Both face the same kits (same ids, connections, ack subscriptions, payloads, QoS 1), the same mosquitto,
/// and the same subscriber connection settings as the hub (MQTT 5, persistent session, ReceiveMaximum). The medians
/// are compared; each hub round is checked for zero loss and zero duplicates (rows, distinct keys, acks).
/// Target: median hub rate ≥ 70% of the median broker rate.
/// Sizes: HS_BENCH_EVENTS (default 60000) events per round from HS_BENCH_PUBLISHERS (default 20) kits;
/// HS_BENCH_ROUNDS (default 5) rounds of each, stopped early after HS_BENCH_SECONDS (default 300) of measuring.
/// </summary>
public sealed class IngestBenchmark : IBenchmark
{
    private const double Target = 0.70;
    private const string HubClientId = "bench-hub";
    private const string BaselineClientId = "bench-baseline";

    public string Name => "ingest";

    public string Description => "events stored+acknowledged per second through mosquitto into SQLite, vs the broker's one-subscriber rate";

    public TimeSpan TimeLimit => TimeSpan.FromMinutes(15);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var total = Setting("HS_BENCH_EVENTS", 60_000);
        var publishers = Setting("HS_BENCH_PUBLISHERS", 20);
        var rounds = Setting("HS_BENCH_ROUNDS", 5);
        var budget = TimeSpan.FromSeconds(Setting("HS_BENCH_SECONDS", 300));
        var perKit = Math.Max(1, total / publishers);
        total = perKit * publishers;
        output.WriteLine($"   {total} events per round from {publishers} kits ({perKit} each, every publish awaited for its PUBACK), QoS 1, one real mosquitto");
        output.WriteLine("   baseline: the same kits and broker delivering to one plain MQTTnet 5 subscriber (same session and ReceiveMaximum as the hub) that only counts");
        output.WriteLine("   hub: the same load into the hub (validate, dedup, SQLite WAL synchronous=FULL commit, then HubAck to the kit and PUBACK to the broker); rate = events acked to the kits / time");
        output.WriteLine($"   machine load average at start: {LoadAverage()}");

        await using var mosquitto = await MosquittoServer.StartAsync();
        var broker = new BrokerCpu(mosquitto.ConfigPath);

        // Warm-up (not counted): first connections, SQLite's first file, and the JIT. A full-size round each: with
        // tiered compilation the hot paths run unoptimised code until called often enough, and the hub has far more of
        // them than the counting subscriber (with 100 events per kit, measured rounds still ran tier-0 hub code while
        // the JIT thread took a fifth of the CPU). A hub runs for months; its steady state is what is compared.
        var warmUp = perKit;
        await BaselineRoundAsync(mosquitto, broker, publishers, warmUp, cancellationToken);
        await HubRoundAsync(mosquitto, broker, publishers, warmUp, cancellationToken);

        var baselines = new List<Round>();
        var hubs = new List<Round>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < rounds && (i == 0 || clock.Elapsed < budget); i++)
        {
            // ABBA order (B H, H B, B H, …): a drift in the machine's load favours neither side.
            Round b, h;
            if (i % 2 == 0)
            {
                b = await BaselineRoundAsync(mosquitto, broker, publishers, perKit, cancellationToken);
                h = await HubRoundAsync(mosquitto, broker, publishers, perKit, cancellationToken);
            }
            else
            {
                h = await HubRoundAsync(mosquitto, broker, publishers, perKit, cancellationToken);
                b = await BaselineRoundAsync(mosquitto, broker, publishers, perKit, cancellationToken);
            }

            baselines.Add(b);
            hubs.Add(h);
            output.WriteLine(Invariant($"   round {i + 1}: broker {b.Rate,7:N0} msg/s | hub {h.Rate,7:N0} events/s ({h.Rate / b.Rate:P0}); rows {h.Rows}/{total}, distinct keys {h.Distinct}, acked {h.Acked}, redeliveries {h.Redeliveries}, {(double)h.Rows / Math.Max(1, h.Batches):0} events per commit"));
        }

        var brokerMedian = Median(baselines.Select(r => r.Rate));
        var hubMedian = Median(hubs.Select(r => r.Rate));
        var ratio = hubMedian / brokerMedian;
        var lossless = hubs.All(h => h.Rows == total && h.Distinct == total && h.Acked == total);
        output.WriteLine(Invariant($"   broker, one counting subscriber: median {brokerMedian:N0} msg/s (min {baselines.Min(r => r.Rate):N0}, max {baselines.Max(r => r.Rate):N0}, {baselines.Count} rounds)"));
        output.WriteLine(Invariant($"   hub (mosquitto → SQLite, durable, acked): median {hubMedian:N0} events/s (min {hubs.Min(r => r.Rate):N0}, max {hubs.Max(r => r.Rate):N0}, {hubs.Count} rounds)"));
        var baselineCpu = Median(baselines.Select(r => r.ProcessCpuUs + r.BrokerCpuUs));
        var hubCpu = Median(hubs.Select(r => r.ProcessCpuUs + r.BrokerCpuUs));
        output.WriteLine(Invariant($"   CPU per event (median): baseline {Median(baselines.Select(r => r.ProcessCpuUs)):0.0} µs in this process (kits + subscriber) + {Median(baselines.Select(r => r.BrokerCpuUs)):0.0} µs mosquitto; hub {Median(hubs.Select(r => r.ProcessCpuUs)):0.0} µs in this process (kits + hub) + {Median(hubs.Select(r => r.BrokerCpuUs)):0.0} µs mosquitto"));

        // On a saturated shared machine throughput follows CPU per event, which other processes disturb far less than rates.
        output.WriteLine(Invariant($"   CPU-bound estimate (baseline CPU per event / hub CPU per event, for reference, not the target): {baselineCpu / hubCpu:P0}"));
        output.WriteLine($"   count check: every hub round stored each of the {total} events exactly once (rows = distinct (kit, boot, seq) = events published) and acked each to its kit: {(lossless ? "yes — zero loss, zero duplicates" : "NO")}");
        output.WriteLine($"   machine load average at end: {LoadAverage()}");
        var met = lossless && ratio >= Target;
        output.WriteLine(Invariant($"   ratio of medians hub / broker: {ratio:P0} (target ≥ {Target:P0}): {(met ? "met" : "NOT met")}"));
        return met;
    }

    internal static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    private static async Task<Round> BaselineRoundAsync(MosquittoServer mosquitto, BrokerCpu broker, int publishers, int perKit, CancellationToken cancellationToken)
    {
        var expected = publishers * perKit;
        await using var subscriber = await CountingSubscriber.ConnectAsync(mosquitto, BaselineClientId, receiveMaximum: null, cancellationToken);
        var done = subscriber.Expect(expected);
        var kits = await ConnectKitsAsync(mosquitto, publishers, perKit, _ => { }, cancellationToken);
        var meter = Meter.Start(broker);
        await Task.WhenAll(kits.Select(k => k.PublishAsync(perKit, cancellationToken)));
        await WaitAsync(done, () => $"The baseline subscriber received {subscriber.Received} of {expected} messages within 5 minutes.", cancellationToken);
        var round = meter.Stop(expected);
        await DisposeAllAsync(kits);
        return round;
    }

    private static async Task<Round> HubRoundAsync(MosquittoServer mosquitto, BrokerCpu broker, int publishers, int perKit, CancellationToken cancellationToken)
    {
        var expected = publishers * perKit;
        try
        {
            await using var hub = await BenchHub.StartAsync("sqlite", [], BenchHub.ExternalBroker(mosquitto, HubClientId), cancellationToken);
            await hub.WaitUntilReceivingAsync(cancellationToken);
            var app = hub.App;
            var registry = app.Services.GetRequiredService<KitRegistry>();
            for (var i = 0; i < publishers; i++)
            {
                await registry.CreateAsync(KitId(i), null, [new SensorRecord("motion-living", SensorKind.Motion, "woonkamer", "presence")], cancellationToken);
            }

            var acked = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var kits = await ConnectKitsAsync(mosquitto, publishers, perKit, n =>
            {
                if (Interlocked.Add(ref acked, n) == expected)
                {
                    done.TrySetResult();
                }
            }, cancellationToken);
            var meter = Meter.Start(broker);
            await Task.WhenAll(kits.Select(k => k.PublishAsync(perKit, cancellationToken)));
            await WaitAsync(done.Task, () => $"The hub acknowledged {Volatile.Read(ref acked)} of {expected} events within 5 minutes.", cancellationToken);
            var round = meter.Stop(expected);
            await DisposeAllAsync(kits);

            var (rows, distinct) = CountRows(Path.Combine(hub.Directory, "events.db"));
            return round with
            {
                Rows = rows,
                Distinct = distinct,
                Acked = kits.Sum(k => k.Acked),
                Redeliveries = app.Services.GetRequiredService<IngestStats>().Duplicates,
                Batches = app.Services.GetRequiredService<IngestStats>().Batches,
            };
        }
        finally
        {
            // The hub leaves a persistent session (as it should); end it so the broker does not queue the next
            // baseline round's messages for a hub that is gone.
            await EndSessionAsync(mosquitto, HubClientId, cancellationToken);
        }
    }

    private static string KitId(int i) => $"kit-bench-{i:000}";

    private static async Task<List<BenchKit>> ConnectKitsAsync(MosquittoServer mosquitto, int publishers, int perKit, Action<int> onAck, CancellationToken cancellationToken)
    {
        var kits = Enumerable.Range(0, publishers).Select(i => new BenchKit(KitId(i), onAck)).ToList();
        await Task.WhenAll(kits.Select(k => k.ConnectAsync(mosquitto.Host, mosquitto.Port, perKit, cancellationToken)));
        return kits;
    }

    private static async Task DisposeAllAsync(IEnumerable<BenchKit> kits)
    {
        foreach (var kit in kits)
        {
            await kit.DisposeAsync();
        }
    }

    /// <summary>The hub's own connection settings (see HubMqttConnection), for the baseline subscriber.</summary>
    internal static MqttClientOptions SubscriberOptions(MosquittoServer mosquitto, string clientId, int? receiveMaximum = null)
    {
        var hub = new BrokerOptions();
        return new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Host, mosquitto.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(clientId)
            .WithCleanStart(false).WithSessionExpiryInterval((uint)hub.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum((ushort)(receiveMaximum ?? hub.ReceiveMaximum)).WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10)).Build();
    }

    /// <summary>Connects once with CleanStart and no session expiry: the broker discards the client's session.</summary>
    internal static async Task EndSessionAsync(MosquittoServer mosquitto, string clientId, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Host, mosquitto.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(clientId).WithCleanStart(true)
            .WithSessionExpiryInterval(0).WithTimeout(TimeSpan.FromSeconds(10)).Build(), cancellationToken);
        await client.DisconnectAsync(cancellationToken: cancellationToken);
    }

    private static async Task WaitAsync(Task done, Func<string> describe, CancellationToken cancellationToken)
    {
        try
        {
            await done.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(describe());
        }
    }

    private static (long Rows, long Distinct) CountRows(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), (SELECT COUNT(*) FROM (SELECT DISTINCT kit_id, boot_id, seq FROM events)) FROM events;";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One measured round: rate, CPU per event (this process and mosquitto), and for hub rounds the count check.</summary>
    private sealed record Round(double Rate, double ProcessCpuUs, double BrokerCpuUs)
    {
        public long Rows { get; init; }

        public long Distinct { get; init; }

        public long Acked { get; init; }

        public long Redeliveries { get; init; }

        public long Batches { get; init; }
    }

    /// <summary>Wall clock and CPU time from the first publish to the last message counted (baseline) or acked (hub).</summary>
    private sealed class Meter
    {
        private readonly BrokerCpu _broker;
        private readonly Stopwatch _watch;
        private readonly TimeSpan _process;
        private readonly TimeSpan _brokerStart;

        private Meter(BrokerCpu broker)
        {
            _broker = broker;
            _process = Process.GetCurrentProcess().TotalProcessorTime;
            _brokerStart = broker.Total();
            _watch = Stopwatch.StartNew();
        }

        public static Meter Start(BrokerCpu broker) => new(broker);

        public Round Stop(int events)
        {
            var seconds = _watch.Elapsed.TotalSeconds;
            var process = Process.GetCurrentProcess().TotalProcessorTime - _process;
            var brokerCpu = _broker.Total() - _brokerStart;
            return new Round(events / seconds, process.TotalMicroseconds / events, brokerCpu.TotalMicroseconds / events);
        }
    }

    /// <summary>CPU time of this run's mosquitto (found by its unique config path), from /proc.</summary>
    private sealed class BrokerCpu(string configPath)
    {
        private int? _pid;

        public TimeSpan Total()
        {
            try
            {
                _pid ??= Find();
                if (_pid is not { } pid)
                {
                    return TimeSpan.Zero;
                }

                // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command name) are utime and stime, in ticks of 1/100 s.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                return TimeSpan.FromMilliseconds(ticks * 10);
            }
            catch (IOException)
            {
                return TimeSpan.Zero;
            }
        }

        private int? Find()
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    try
                    {
                        if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(configPath, StringComparison.Ordinal))
                        {
                            return pid;
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        // Processes come and go, and others' are not readable.
                    }
                }
            }

            return null;
        }
    }
}
