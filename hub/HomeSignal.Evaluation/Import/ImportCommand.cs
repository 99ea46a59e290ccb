using HomeSignal.Detection;
using HomeSignal.Detection.Decline;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Replay;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Evaluation.Import;

/// <summary><c>import --events events.csv --map sensors.csv [--resident r-1]</c>: parses recorded events, reports bad
/// rows with line numbers, replays the good ones through detection as for live data, and prints the signals.</summary>
public static class ImportCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        string? events = null, map = null, resident = "r-import";
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--events": events = args[i + 1]; break;
                case "--map": map = args[i + 1]; break;
                case "--resident": resident = args[i + 1]; break;
                default:
                    error.WriteLine($"Unknown option '{args[i]}'. Usage: import --events events.csv --map sensors.csv [--resident id]");
                    return 2;
            }
        }

        if (events is null || map is null || args.Count % 2 != 0)
        {
            error.WriteLine("Usage: import --events events.csv --map sensors.csv [--resident id]");
            return 2;
        }

        foreach (var file in new[] { events, map })
        {
            if (!File.Exists(file))
            {
                error.WriteLine($"File not found: {file}");
                return 2;
            }
        }

        var import = CsvReplayImporter.Import(events, map);
        output.WriteLine($"Imported {import.Readings.Count} events for {import.Sensors.All.Count} sensors; {import.Problems.Count} rows rejected.");
        foreach (var p in import.Problems)
        {
            output.WriteLine($"  rejected {p}");
        }

        if (import.Readings.Count == 0)
        {
            output.WriteLine("No events to analyse.");
            return import.Problems.Count > 0 ? 1 : 0;
        }

        var options = new DetectionOptions();
        var until = LocalClock.StartOfDay(LocalClock.LocalDate(import.Readings[^1].Ts).AddDays(1));
        var replay = HistoryReplay.Run(resident, import.Sensors, import.Readings, options, until);
        var signals = replay.Signals.ToList();
        var series = new DeclineSeries(replay.Days, [], options.Decline);
        var season = SeasonalReference.Prior(options.Decline);
        var lastRaised = new Dictionary<SignalKind, DateOnly>();
        for (var i = 0; i < replay.Days.Count; i++)
        {
            signals.AddRange(DeclineAnalyzer.Evaluate(resident, series, i, season, options.Decline, LabelAdjustments.None, lastRaised));
        }

        output.WriteLine($"{replay.Days.Count} days analysed; {signals.Count} signals.");
        foreach (var s in signals.OrderBy(s => s.RaisedAt))
        {
            output.WriteLine($"{DutchText.DayAndClock(s.RaisedAt),-28} {SignalNames.ApiName(s.Severity),-9} {SignalNames.ApiName(s.Kind),-16} {s.Title}");
            output.WriteLine($"    {s.Reason}");
            output.WriteLine($"    vandaag: {s.TodayValue} | normaal: {s.NormalRange} | sensoren: {string.Join(", ", s.Sensors)}");
            output.WriteLine($"    vraag: {s.Question}");
        }

        return 0;
    }
}
