using System.Globalization;

namespace HomeSignal.Evaluation.Evaluation;

/// <summary>Command-line settings of <c>evaluate</c>: <c>--residents N --years Y --seeds a,b,c --report path.md</c>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Residents per seed.</summary>
    public int Residents { get; init; } = 80;

    public int Years { get; init; } = 1;

    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3];

    public string? ReportPath { get; init; }

    public DateOnly Start { get; init; } = new(2025, 1, 1);

    /// <summary>Share of residents who get one slow decline (the rest live normal lives with acute patterns).</summary>
    public double DeclineShare { get; init; } = 0.5;

    public int ResidentYears => Residents * Seeds.Count * Years;

    public static EvaluationOptions Parse(IReadOnlyList<string> args, out string? error)
    {
        var o = new EvaluationOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var key = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : null;
            if (value is null)
            {
                error = $"'{key}' needs a value.";
                return o;
            }

            i++;
            switch (key)
            {
                case "--residents" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0:
                    o = o with { Residents = n };
                    break;
                case "--years" when int.TryParse(value, CultureInfo.InvariantCulture, out var y) && y is > 0 and <= 10:
                    o = o with { Years = y };
                    break;
                case "--seeds":
                    var seeds = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var parsed = seeds.Select(s => int.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : (int?)null).ToList();
                    if (parsed.Count == 0 || parsed.Any(p => p is null))
                    {
                        error = $"--seeds expects comma-separated integers, got '{value}'.";
                        return o;
                    }

                    o = o with { Seeds = parsed.Select(p => p!.Value).ToList() };
                    break;
                case "--report":
                    o = o with { ReportPath = value };
                    break;
                case "--start" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d):
                    o = o with { Start = d };
                    break;
                default:
                    error = $"Unknown option or bad value: {key} {value}. Use --residents N (per seed) --years Y (1–10) --seeds a,b,c --report path.md --start yyyy-MM-dd.";
                    return o;
            }
        }

        return o;
    }
}
