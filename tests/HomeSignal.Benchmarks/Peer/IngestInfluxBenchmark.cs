using System.Globalization;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Influx;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Benchmarks.Peer;

/// <summary>
/// <c>./tests/bench.sh ingest-influx</c>: events stored durably in InfluxDB and acknowledged to the kits per second by
/// the real hub (<c>Storage:Provider=Influx</c>: its ingestion pipeline, validation and InfluxDB store), through a real
/// mosquitto, against the peer pipeline (mosquitto → Node-RED → InfluxDB, variant C) measured in the
/// same run on the same event count, and against the broker's own one-subscriber throughput under the same load.
/// Targets: at least 70% of the broker and at least 5× the peer, with zero loss and zero duplicates (counted in
/// InfluxDB afterwards). Also prints CPU time per event, which a busy shared machine distorts far less than rates.
/// </summary>
public sealed class IngestInfluxBenchmark : IBenchmark
{
    private const int Kits = 1000;
    private const double TargetRatio = 5.0;
    private const double BrokerTarget = 0.7;

    public string Name => "ingest-influx";

    public string Description => "kits → mosquitto → hub → InfluxDB with acks after 204, vs the broker alone and vs mosquitto → Node-RED → InfluxDB (variant C)";

    public TimeSpan TimeLimit => TimeSpan.FromMinutes(20);

    /// <summary>
    /// Events per run for both sides (env <c>HOMESIGNAL_BENCH_EVENTS</c>; a multiple of 1,000). The default is the peer
    /// bench's sustained burst of 100,000: a 20,000 burst lasts about one second on the hub, so filling and draining the
    /// pipeline (a few hundred milliseconds either side) weighs several times more there than in the peer's five seconds.
    /// </summary>
    private static int Events => EnvInt("HOMESIGNAL_BENCH_EVENTS", 100_000, Kits) / Kits * Kits;

    /// <summary>HomeSignal runs (env <c>HOMESIGNAL_BENCH_REPS</c>, default 5); the median counts.</summary>
    private static int Reps => EnvInt("HOMESIGNAL_BENCH_REPS", 5, 1);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var events = Events;
        output.WriteLine($"   machine load average at start: {LoadAverage()}");
        PeerResult? peer = null;
        try
        {
            var runs = await PeerPipeline.RunVariantCAsync(events, output, cancellationToken);
            foreach (var run in runs)
            {
                output.WriteLine($"   peer C run: {run.PointsPerSecond,8:N0} points/s; stored {run.Stored:N0} of {run.Events:N0}, lost {run.Lost:N0}; {1000 * run.CpuSeconds / run.Events:0.000} CPU-ms/event");
            }

            // The median run, as for HomeSignal: a single burst of the peer varies by about ±30% here.
            peer = runs.OrderBy(r => r.PointsPerSecond).ElementAt(runs.Count / 2);
            output.WriteLine($"   peer C (mosquitto → Node-RED → InfluxDB): {peer.PointsPerSecond,8:N0} points/s (median of {runs.Count}); {1000 * peer.CpuSeconds / peer.Events:0.000} CPU-ms/event (Node-RED + influxd + mosquitto)");
        }
        catch (InvalidOperationException ex)
        {
            output.WriteLine($"   peer baseline unavailable: {ex.Message}");
        }

        var ours = await RunHomeSignalAsync(events, output, cancellationToken);
        output.WriteLine($"   HomeSignal (mosquitto → hub → InfluxDB): {ours.PerSecond,8:N0} events/s stored and acked (median of {Reps}); lost {ours.Lost:N0}, duplicates {ours.Duplicates:N0}; {ours.CpuMsPerEvent:0.000} CPU-ms/event (hub + simulated kits + influxd + mosquitto)");
        output.WriteLine($"   broker (mosquitto → one counting subscriber): {ours.BrokerPerSecond,8:N0} events/s (median of {Reps})");
        output.WriteLine($"   machine load average at end: {LoadAverage()}");
        var lossless = ours.Lost == 0 && ours.Duplicates == 0;
        var ofBroker = ours.PerSecond / ours.BrokerPerSecond;
        output.WriteLine($"   ratio HomeSignal / broker: {ofBroker:P0} (target ≥ {BrokerTarget:P0}); zero loss and zero duplicates: {(lossless ? "yes" : "NO")}");
        if (peer is null)
        {
            output.WriteLine("   ratio HomeSignal / peer C: n/a (no peer figure in this run)");
            return false;
        }

        var ratio = ours.PerSecond / peer.PointsPerSecond;
        output.WriteLine($"   ratio HomeSignal / peer C: {ratio:0.0}× events/s (target ≥ {TargetRatio:0}×), {1000 * peer.CpuSeconds / peer.Events / ours.CpuMsPerEvent:0.0}× less CPU per event");
        return lossless && ratio >= TargetRatio && ofBroker >= BrokerTarget;
    }

    private static async Task<Measured> RunHomeSignalAsync(int events, TextWriter output, CancellationToken cancellationToken)
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await using var fleet = await KitFleet.StartAsync(mosquitto.Host, mosquitto.Port, Kits, connectionCount: 10, window: 200, cancellationToken);
        await using var baseline = await BrokerBaseline.StartAsync(Kits, events, influx.ProcessId, cancellationToken);
        var settings = BenchHub.ExternalBroker(mosquitto, "bench-hub-influx");
        settings["Storage:Influx:Url"] = influx.Url.ToString();
        settings["Storage:Influx:Database"] = "homesignal_bench";
        await using var hub = await BenchHub.StartAsync("influx", ["--Storage:Provider=Influx"], settings, cancellationToken);
        await hub.WaitUntilReceivingAsync(cancellationToken);
        return await MeasureHubAsync(hub.Services, fleet, mosquitto, influx, baseline, events, output, cancellationToken);
    }

    /// <summary>
    /// The real hub (its ingestion pipeline, validation, registry and <see cref="InfluxEventStore"/>) under the kit
    /// fleet's load, each round right after a round of the broker baseline: this shared machine's speed drifts by a
    /// quarter within minutes, and measuring all of one side first then all of the other put that drift in the ratio.
    /// </summary>
    private static async Task<Measured> MeasureHubAsync(
        IServiceProvider hub, KitFleet fleet, MosquittoServer mosquitto, InfluxServer influx, BrokerBaseline baseline, int events, TextWriter output, CancellationToken cancellationToken)
    {
        var registry = hub.GetRequiredService<KitRegistry>();
        for (var i = 0; i < Kits; i++)
        {
            await registry.CreateAsync(KitFleet.KitId(i), null, KitFleet.SensorRecords, cancellationToken);
        }

        var store = hub.GetRequiredService<InfluxEventStore>();
        var stats = hub.GetRequiredService<IngestStats>();
        using var cpu = new CpuMeter(influx.ProcessId, mosquitto.ConfigPath);

        // Warm-up (not recorded), as the peer bench does: connections, InfluxDB shards, and .NET's tiered JIT, which
        // needs a few thousand calls (and, on a busy machine, time for its background compiler) to reach fast code.
        var baseTime = DateTimeOffset.UtcNow.AddMinutes(-30);
        // Three full-size rounds: with fewer, the first measured runs still ran while the JIT thread compiled.
        const int warmUpRounds = 3;
        var warmUpPerKit = events / Kits;
        for (var round = 0; round < warmUpRounds; round++)
        {
            await fleet.RunAsync(warmUpPerKit, baseTime.AddMinutes(-round - 1), cancellationToken);
            // Room for the background compiler to install the optimised code before anything is measured.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }

        await baseline.RunRoundAsync(baseTime.AddHours(-1), cancellationToken);
        var rates = new List<double>();
        var brokerRates = new List<double>();
        var cpuMs = new List<double>();
        for (var rep = 1; rep <= Reps; rep++)
        {
            var round = await baseline.RunRoundAsync(baseTime.AddHours(-1).AddMinutes(rep), cancellationToken);
            brokerRates.Add(round.PerSecond);
            output.WriteLine($"   broker run {rep}: {events:N0} events from {Kits:N0} kits delivered to one counting subscriber in {round.Elapsed.TotalSeconds:0.00} s = {round.PerSecond:N0}/s; CPU s: kits + subscriber {round.SelfCpuSeconds:0.00}, mosquitto {round.BrokerCpuSeconds:0.00}, influxd (idle) {round.InfluxdCpuSeconds:0.00} after {round.Settled.TotalSeconds:0.0} s waiting for it to go quiet");
            var before = store.Statistics;
            cpu.Start();
            var elapsed = await fleet.RunAsync(events / Kits, baseTime.AddMinutes(rep), cancellationToken);
            var (self, influxd, broker) = cpu.Stop();
            var after = store.Statistics;
            var requests = after.WriteRequests - before.WriteRequests;
            rates.Add(events / elapsed.TotalSeconds);
            cpuMs.Add(1000 * (self + influxd + broker) / events);
            output.WriteLine($"   HomeSignal run {rep}: {events:N0} events from {Kits:N0} kits stored and acked in {elapsed.TotalSeconds:0.00} s = {rates[^1]:N0}/s; " +
                             $"{requests:N0} InfluxDB writes (~{(after.PointsWritten - before.PointsWritten) / (double)Math.Max(1, requests):N0} points each), {after.Retries - before.Retries} retries; " +
                             $"CPU s: hub + kits {self:0.00}, influxd {influxd:0.00}, mosquitto {broker:0.00}");
        }

        var expected = (long)(warmUpRounds * warmUpPerKit * Kits) + ((long)events * Reps);
        var stored = await store.CountEventsAsync(null, cancellationToken);
        var distinct = await store.CountDistinctEventsAsync(cancellationToken);
        output.WriteLine($"   count check in InfluxDB: {stored:N0} points, {distinct:N0} distinct (kit, seq), expected {expected:N0} (warm-up included); " +
                         $"refused by the hub {stats.Rejected.Values.Sum()}, quarantined {stats.Quarantined}, repeated acks {fleet.DuplicateAcks}");
        return new Measured(Median(rates), Math.Max(0, expected - distinct), stored - distinct, Median(cpuMs), Median(brokerRates));
    }

    /// <summary>The hub's median rate, its count check and CPU, and the broker's one-subscriber rate under the same load (median).</summary>
    private sealed record Measured(double PerSecond, long Lost, long Duplicates, double CpuMsPerEvent, double BrokerPerSecond);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int EnvInt(string name, int fallback, int minimum) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var n) && n >= minimum ? n : fallback;

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
}
