using System.Diagnostics;
using System.Globalization;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Benchmarks.Ingest;

/// <summary>
/// N simulated kits (HS_BENCH_KITS, default 10000) connected to one hub's embedded broker and heartbeating; reports
/// the hub's CPU and memory. The kits run in a child process (<see cref="KitSwarm"/>), so the figures are the hub's
/// own and each process stays within its open-file limit.
/// </summary>
public sealed class KitFleetBenchmark : IBenchmark
{
    public string Name => "kits";

    public string Description => "N kits connected and heartbeating to one hub (embedded broker): hub CPU and memory";

    public TimeSpan TimeLimit => TimeSpan.FromMinutes(20);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var count = IngestBenchmark.Setting("HS_BENCH_KITS", 10_000);
        var seconds = IngestBenchmark.Setting("HS_BENCH_KITS_SECONDS", 60);
        var interval = IngestBenchmark.Setting("HS_BENCH_KITS_INTERVAL", 15);
        await using var hub = await BenchHub.StartAsync("fleet", [], new Dictionary<string, string?>
        {
            ["Broker:Host"] = "127.0.0.1",
            ["Broker:Port"] = "0",
            ["Broker:ConnectionBacklog"] = "5000",
        }, cancellationToken);
        var app = hub.App;
        var ids = Enumerable.Range(0, count).Select(i => $"kit-fleet-{i:00000}").ToList();
        var credentials = await app.Services.GetRequiredService<KitRegistry>().CreateManyAsync(ids, cancellationToken);
        var file = Path.Combine(hub.Directory, "kits.txt");
        await File.WriteAllLinesAsync(file, credentials.Select(c => $"{c.Username}:{c.Password}"), cancellationToken);

        var process = Process.GetCurrentProcess();
        using var swarm = KitSwarm.Start(file, app.MqttPort(), seconds, interval);
        var tracker = app.Services.GetRequiredService<KitHealthTracker>();
        int Online() => ids.Count(id => tracker.View(id, DateTimeOffset.UtcNow).Status == KitHealthTracker.Online);

        // Connect phase: until every kit has been seen, bounded.
        var connectWatch = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Online() < count && DateTime.UtcNow < deadline && !swarm.HasExited)
        {
            await Task.Delay(500, cancellationToken);
        }

        var connected = Online();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {connected}/{count} kits online after {connectWatch.Elapsed.TotalSeconds:0.0} s"));

        // Steady state: heartbeats only; the hub's CPU is measured over the rest of the run.
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long peakWorkingSet = 0;
        while (!swarm.HasExited && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(1000, cancellationToken);
            process.Refresh();
            peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
            if (wall.Elapsed > TimeSpan.FromSeconds(seconds * 2 + 120))
            {
                break;
            }
        }

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / Math.Max(1, wall.Elapsed.TotalSeconds);
        var stillOnline = Online();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   hub over {wall.Elapsed.TotalSeconds:0} s of heartbeats every {interval} s: CPU {cpu * 100:0} % of one core ({Environment.ProcessorCount} cores), working set peak {peakWorkingSet / 1024.0 / 1024:0} MiB, managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024:0} MiB"));
        output.WriteLine($"   {stillOnline}/{count} kits online at the end; swarm: {swarm.Summary}");
        return connected == count && stillOnline == count;
    }
}
