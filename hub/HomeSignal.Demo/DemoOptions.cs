using System.Globalization;

namespace HomeSignal.Demo;

/// <summary>The demo's few settings, from the command line (<c>--dashboard-port 5090 --history-days 56 --data DIR --hand-seconds 3</c>).</summary>
public sealed record DemoOptions(string DataDirectory, int HubPort, int DashboardPort, int HistoryDays, TimeSpan FailingKitRunsFor,
    TimeSpan? HandDelay = null)
{
    /// <summary>How long the demo's simulated hand waits after a walk-test step is shown before doing it (default 3 s).</summary>
    public TimeSpan WalkTestHandDelay => HandDelay ?? TimeSpan.FromSeconds(3);

    /// <summary>Eight weeks: enough for the slow-decline comparison (two recent weeks against the weeks before) to have
    /// been made on two nights a week apart, as it needs to raise a signal.</summary>
    public const int DefaultHistoryDays = 56;

    public static DemoOptions FromArgs(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Number(string name, int fallback, int min, int max)
        {
            var text = Value(name);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'.");
        }

        var data = Value("--data") ?? Path.Combine(Path.GetTempPath(), $"homesignal-demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        return new DemoOptions(
            data,
            DemoSystem.PortOrFree(Number("--hub-port", 5080, 1, 65535)),
            DemoSystem.PortOrFree(Number("--dashboard-port", 5090, 1, 65535)),
            Number("--history-days", DefaultHistoryDays, 14, 120),
            TimeSpan.FromSeconds(Number("--failing-kit-seconds", 20, 1, 3600)),
            TimeSpan.FromSeconds(Number("--hand-seconds", 3, 0, 600)));
    }
}
