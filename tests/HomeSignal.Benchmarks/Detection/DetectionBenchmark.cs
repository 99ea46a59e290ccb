using System.Diagnostics;
using HomeSignal.Detection;
using HomeSignal.Detection.Features;
using HomeSignal.Detection.Nightly;
using HomeSignal.Detection.Statistics;

namespace HomeSignal.Benchmarks.Detection;

/// <summary>
/// The nightly analysis of 10,000 residents with 90 days of compact daily features each (baselines, decline trends,
/// unusual-day scoring, and the weekly retrain of both ML.NET models) must finish within 2 minutes using at most 2 GB.
/// Same-run baseline: a naive nightly pass (median/MAD z-scores over 28 days per metric) on the same input, so the
/// ratio says what the calibrated, ML-backed pass costs on top of the simplest thing.
/// </summary>
public sealed class DetectionBenchmark : IBenchmark
{
    private const int Residents = 10_000;
    private const int Days = 90;
    private static readonly TimeSpan Target = TimeSpan.FromMinutes(2);
    private const long MemoryTarget = 2L * 1024 * 1024 * 1024;

    public string Name => "detection";

    public string Description => $"nightly analysis of {Residents:N0} residents × {Days} days (target < {Target.TotalMinutes:0} min, < 2 GB)";

    public TimeSpan TimeLimit => TimeSpan.FromMinutes(10);

    public Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var first = new DateOnly(2025, 8, 1);
        var date = first.AddDays(Days - 1);
        var generate = Stopwatch.StartNew();
        var residents = Generate(first);
        output.WriteLine($"  input: {Residents:N0} residents × {Days} days of daily features generated in {generate.Elapsed.TotalSeconds:0.0} s");
        cancellationToken.ThrowIfCancellationRequested();

        var naive = Stopwatch.StartNew();
        var naiveFlags = NaivePass(residents);
        naive.Stop();
        output.WriteLine($"  baseline (naive median/MAD pass): {naive.Elapsed.TotalSeconds:0.00} s, {naiveFlags:N0} flags");
        cancellationToken.ThrowIfCancellationRequested();

        GC.Collect();
        var models = Path.Combine(Path.GetTempPath(), "homesignal-bench-models-" + Guid.NewGuid().ToString("N"));
        try
        {
            var watch = Stopwatch.StartNew();
            var result = new NightlyAnalysis(new DetectionOptions(), new ModelStore(models)).Run(residents, date);
            watch.Stop();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var peak = process.PeakWorkingSet64;
            var signals = result.Residents.Sum(r => r.Signals.Count);
            var byKind = result.Residents.SelectMany(r => r.Signals).GroupBy(s => s.Kind).OrderBy(g => g.Key)
                .Select(g => $"{HomeSignal.Detection.Signals.SignalNames.ApiName(g.Key)} {g.Count()}");
            output.WriteLine($"  nightly analysis: {watch.Elapsed.TotalSeconds:0.0} s (models trained: {result.ModelsTrained}), " +
                             $"{Residents / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0} residents/s, {signals} signals ({string.Join(", ", byKind)})");
            output.WriteLine($"  ratio to the naive baseline: {watch.Elapsed.TotalSeconds / Math.Max(0.001, naive.Elapsed.TotalSeconds):0.0}×");
            output.WriteLine($"  peak working set: {peak / (1024.0 * 1024):N0} MB (target ≤ 2,048 MB)");
            var ok = watch.Elapsed <= Target && peak <= MemoryTarget;
            output.WriteLine($"  target {(ok ? "met" : "MISSED")}: {watch.Elapsed.TotalSeconds:0.0} s of {Target.TotalSeconds:0} s, {peak / (1024.0 * 1024):N0} MB of 2,048 MB");
            return Task.FromResult(ok);
        }
        finally
        {
            if (Directory.Exists(models))
            {
                Directory.Delete(models, recursive: true);
            }
        }
    }

    /// <summary>A cheap synthetic population: per-resident habits, day-to-day noise, a weekly rhythm, and 3% of residents
    /// with a falling trend in outings. The expected motion of past days is filled in, as the hub stores it nightly.</summary>
    private static List<ResidentHistory> Generate(DateOnly first)
    {
        var residents = new List<ResidentHistory>(Residents);
        var rng = new Random(20251122);
        for (var r = 0; r < Residents; r++)
        {
            var level = 0.7 + 0.6 * rng.NextDouble();
            var wake = 390 + rng.Next(-60, 60);
            var declining = rng.NextDouble() < 0.03;
            var days = new List<DailyFeatures>(Days);
            for (var i = 0; i < Days; i++)
            {
                var trend = declining && i > 50 ? Math.Max(0.3, 1 - (i - 50) / 30.0) : 1;
                var d = new DailyFeatures
                {
                    Date = first.AddDays(i),
                    Outings = Math.Max(0, (int)Math.Round(1.9 * level * trend + rng.NextDouble() * 2 - 1)),
                    MinutesOut = Math.Max(0, 150 * level * trend + rng.Next(-60, 60)),
                    FirstActivity = wake + rng.Next(-45, 45),
                    LastActivity = 1350 + rng.Next(-40, 40),
                    RoomsVisited = 5,
                    RoomChanges = (int)(55 * level) + rng.Next(-8, 8),
                    LongestGapHome = 40 + rng.Next(0, 40),
                    NightVisits = rng.NextDouble() < 0.6 ? 0 : 1,
                    NightMotion = rng.Next(2, 9),
                    DoorOpenings = rng.Next(2, 8),
                    PostDelivered = first.AddDays(i).DayOfWeek is not (DayOfWeek.Sunday or DayOfWeek.Monday),
                    PostCollected = true,
                    RetrievalDelay = rng.Next(10, 90),
                };
                for (var h = 7; h < 23; h++)
                {
                    d.HourlyMotion[h] = (int)(12 * level) + rng.Next(0, 6);
                    d.HourlyMaxGap[h] = 20 + rng.Next(0, 40);
                }

                d.HourlyMaxGap[22] = 480 + rng.Next(0, 60);
                d.MotionCount = d.HourlyMotion.Sum();
                d.ActiveHours = 16;
                if (i < Days - 1)
                {
                    d.ExpectedMotion = d.MotionCount * (0.9 + 0.2 * rng.NextDouble());
                }

                days.Add(d);
            }

            residents.Add(new ResidentHistory { ResidentId = $"r-{r:00000}", Days = days });
        }

        return residents;
    }

    /// <summary>The naive detector of detection.md's warning: median/MAD z-scores over the last 28 days, per metric.</summary>
    private static int NaivePass(List<ResidentHistory> residents)
    {
        var flags = 0;
        Parallel.ForEach(residents, () => 0, (r, _, local) =>
        {
            var window = r.Days.Skip(r.Days.Count - 29).Take(28).ToList();
            var today = r.Days[^1];
            foreach (var metric in new Func<DailyFeatures, double>[] { d => d.Outings, d => d.MinutesOut, d => d.MotionCount, d => d.FirstActivity, d => d.NightVisits })
            {
                var values = window.Select(metric).ToList();
                var median = Robust.Median(values);
                var mad = Robust.Median(values.Select(v => Math.Abs(v - median)).ToList());
                if (mad > 0 && Math.Abs(metric(today) - median) / (1.4826 * mad) > 3)
                {
                    local++;
                }
            }

            return local;
        }, local => Interlocked.Add(ref flags, local));
        return flags;
    }
}
