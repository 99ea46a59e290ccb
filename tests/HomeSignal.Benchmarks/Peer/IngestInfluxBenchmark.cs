using System.Diagnostics;
using System.Globalization;
using HomeSignal.Hub.Storage.Influx;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Benchmarks.Peer;

/// <summary>
/// <c>./tests/bench.sh ingest-influx</c>: events stored durably in InfluxDB and acknowledged to the kits per second,
/// through a real mosquitto, against the peer pipeline (mosquitto → Node-RED → InfluxDB, variant C) measured in the
/// same run on the same event count. Target: at least 5× the peer, with zero loss and zero duplicates (counted in
/// InfluxDB afterwards).
/// </summary>
public sealed class IngestInfluxBenchmark : IBenchmark
{
    private const int Kits = 1000;
    private const double TargetRatio = 5.0;

    public string Name => "ingest-influx";

    public string Description => "kits → mosquitto → hub → InfluxDB with acks after 204, vs mosquitto → Node-RED → InfluxDB (variant C)";

    public TimeSpan TimeLimit => TimeSpan.FromMinutes(20);

    /// <summary>Events per run (env <c>HOMESIGNAL_BENCH_EVENTS</c>, default 20,000 like the peer's quick run); a multiple of 1,000.</summary>
    private static int Events =>
        int.TryParse(Environment.GetEnvironmentVariable("HOMESIGNAL_BENCH_EVENTS"), CultureInfo.InvariantCulture, out var n) && n >= Kits ? n / Kits * Kits : 20_000;

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var events = Events;
        PeerResult? peer = null;
        try
        {
            peer = await PeerPipeline.RunVariantCAsync(events, output, cancellationToken);
            output.WriteLine($"   peer (mosquitto → Node-RED → InfluxDB, C): {peer.PointsPerSecond,8:N0} points/s   stored {peer.Stored:N0} of {peer.Events:N0}, lost {peer.Lost:N0}");
        }
        catch (InvalidOperationException ex)
        {
            output.WriteLine($"   peer baseline unavailable: {ex.Message}");
        }

        var ours = await RunHomeSignalAsync(events, output, cancellationToken);
        output.WriteLine($"   HomeSignal (mosquitto → hub → InfluxDB):    {ours.PerSecond,8:N0} events/s stored and acked   stored {ours.Stored:N0} of {events:N0}, lost {ours.Lost:N0}, duplicates {ours.Duplicates:N0}");
        var lossless = ours.Lost == 0 && ours.Duplicates == 0;
        if (peer is null)
        {
            output.WriteLine("   ratio: n/a (no peer figure in this run)");
            return false;
        }

        var ratio = ours.PerSecond / peer.PointsPerSecond;
        output.WriteLine($"   ratio HomeSignal / peer C: {ratio:0.0}× (target ≥ {TargetRatio:0}×, zero loss, zero duplicates: {(lossless ? "yes" : "NO")})");
        return lossless && ratio >= TargetRatio;
    }

    private static async Task<(double PerSecond, long Stored, long Lost, long Duplicates)> RunHomeSignalAsync(int events, TextWriter output, CancellationToken cancellationToken)
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var options = new InfluxOptions { Url = influx.Url, Database = "homesignal_bench" };
        await using var store = new InfluxEventStore(http, Options.Create(options), TimeProvider.System, NullLogger<InfluxEventStore>.Instance);
        await store.StartAsync(cancellationToken);
        await using var hub = await InfluxIngestHub.StartAsync(mosquitto.Host, mosquitto.Port, store, loops: 1, batchSize: 10000, cancellationToken);
        await using var fleet = await KitFleet.StartAsync(mosquitto.Host, mosquitto.Port, Kits, connectionCount: 10, window: 200, cancellationToken);

        // Warm-up (not recorded), as the peer bench does: JIT, connections, InfluxDB shards.
        var baseTime = DateTimeOffset.UtcNow.AddMinutes(-30);
        const int warmUpPerKit = 2;
        await fleet.RunAsync(warmUpPerKit, baseTime, cancellationToken);
        var warmStats = store.Statistics;

        using var self = Process.GetCurrentProcess();
        using var influxd = Process.GetProcessById(influx.ProcessId ?? throw new InvalidOperationException("influxd is not running."));
        var (selfCpu, influxCpu) = (self.TotalProcessorTime, influxd.TotalProcessorTime);
        var elapsed = await fleet.RunAsync(events / Kits, baseTime, cancellationToken);
        self.Refresh();
        influxd.Refresh();
        // CPU time is the fairer figure on a shared machine: wall-clock rates swing with whatever else runs.
        var cpuLine = $"CPU: hub + simulated kits {(self.TotalProcessorTime - selfCpu).TotalSeconds:0.00} s, influxd {(influxd.TotalProcessorTime - influxCpu).TotalSeconds:0.00} s";
        var stats = store.Statistics;
        var expected = (long)(events + (warmUpPerKit * Kits));
        var stored = await store.CountEventsAsync(null, cancellationToken);
        var distinct = await store.CountDistinctEventsAsync(cancellationToken);
        var requests = stats.WriteRequests - warmStats.WriteRequests;
        output.WriteLine($"   HomeSignal: {events:N0} events from {Kits:N0} kits in {elapsed.TotalSeconds:0.00} s; {requests:N0} InfluxDB writes (~{(stats.PointsWritten - warmStats.PointsWritten) / (double)Math.Max(1, requests):N0} points each), {stats.Retries - warmStats.Retries} retries; {cpuLine}");
        output.WriteLine($"   count check in InfluxDB: {stored:N0} points, {distinct:N0} distinct (kit, seq), expected {expected:N0}; rejected {hub.Rejected}, ack publish failures {hub.AckFailures}, repeated acks {fleet.DuplicateAcks}");
        return (events / elapsed.TotalSeconds, stored - (warmUpPerKit * Kits), Math.Max(0, expected - distinct), stored - distinct);
    }
}
