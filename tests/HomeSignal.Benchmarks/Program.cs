using System.Reflection;

namespace HomeSignal.Benchmarks;

/// <summary>
/// Runs benchmarks by name (`./tests/bench.sh ingest`), or all of them. Each benchmark measures its own baseline in the
/// same run and prints ratios against it; targets are checked here, never in timed unit tests.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var all = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();

        var wanted = args.Length == 0 ? all : all.Where(b => args.Contains(b.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (wanted.Count == 0)
        {
            Console.Error.WriteLine($"Unknown benchmark '{string.Join(' ', args)}'. Known: {string.Join(", ", all.Select(b => b.Name))}.");
            return 2;
        }

        var failed = 0;
        foreach (var benchmark in wanted)
        {
            Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
            using var cts = new CancellationTokenSource(benchmark.TimeLimit);
            try
            {
                var ok = await benchmark.RunAsync(Console.Out, cts.Token);
                Console.WriteLine($"== {benchmark.Name}: {(ok ? "target met" : "TARGET MISSED")}");
                failed += ok ? 0 : 1;
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException or TimeoutException)
            {
                Console.WriteLine($"== {benchmark.Name}: FAILED — {ex.Message}");
                failed++;
            }
        }

        return failed == 0 ? 0 : 1;
    }
}

/// <summary>One benchmark. Implementations live in a folder per area (Ingest/, Edge/, Detection/) and are found by reflection.</summary>
public interface IBenchmark
{
    /// <summary>Short lower-case name used on the command line.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Hard bound on the whole benchmark, load loops included.</summary>
    TimeSpan TimeLimit { get; }

    /// <summary>Runs, prints figures and ratios against the same-run baseline, returns whether the targets were met.</summary>
    Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken);
}
