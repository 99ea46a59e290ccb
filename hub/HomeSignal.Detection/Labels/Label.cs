using HomeSignal.Detection.History;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Detection.Labels;

/// <summary>Outcome recorded after a signal (hub API: relevant, not-relevant, explained-visit, explained-holiday, explained-other).</summary>
public enum LabelOutcome
{
    Relevant,
    NotRelevant,
    ExplainedVisit,
    ExplainedHoliday,
    ExplainedOther,
}

/// <summary>A recorded outcome for one signal: the kind and when it was raised are enough to tune the rule that raised it.</summary>
public sealed record Label(SignalKind Kind, DateTimeOffset SignalRaisedAt, LabelOutcome Outcome)
{
    public static LabelOutcome? ParseOutcome(string value) => value switch
    {
        "relevant" => LabelOutcome.Relevant,
        "not-relevant" => LabelOutcome.NotRelevant,
        "explained-visit" => LabelOutcome.ExplainedVisit,
        "explained-holiday" => LabelOutcome.ExplainedHoliday,
        "explained-other" => LabelOutcome.ExplainedOther,
        _ => null,
    };
}

/// <summary>How a resident's outcomes move their thresholds. "Not relevant" makes the rule that fired more tolerant
/// (bounded); "relevant" slowly undoes that; explained outcomes change nothing (the day was not normal, not the rule).</summary>
public sealed class LabelAdjustments
{
    public static LabelAdjustments None { get; } = new([]);

    private readonly double[] _inactivityFactor = new double[24];

    public LabelAdjustments(IEnumerable<Label> labels)
    {
        Array.Fill(_inactivityFactor, 1.0);
        foreach (var label in labels.OrderBy(l => l.SignalRaisedAt))
        {
            var step = label.Outcome switch
            {
                LabelOutcome.NotRelevant => 1,
                LabelOutcome.Relevant => -1,
                _ => 0,
            };
            if (step == 0)
            {
                continue;
            }

            switch (label.Kind)
            {
                case SignalKind.Inactivity:
                    // The gap started some hours before the signal; widen the neighbouring hours too.
                    var hour = LocalClock.ToLocal(label.SignalRaisedAt).Hour;
                    for (var h = hour - 4; h <= hour; h++)
                    {
                        var i = (h + 24) % 24;
                        _inactivityFactor[i] = Math.Clamp(_inactivityFactor[i] * (step > 0 ? 1.15 : 1 / 1.15), 1.0, 1.6);
                    }

                    break;
                case SignalKind.NotUp:
                    NotUpExtraMinutes = Math.Clamp(NotUpExtraMinutes + step * 20, 0, 90);
                    break;
                case SignalKind.NightRestless:
                    NightTailFactor = Math.Clamp(NightTailFactor * (step > 0 ? 0.2 : 5), 1e-3, 1);
                    break;
                case SignalKind.UnusualDay:
                    UnusualFactor = Math.Clamp(UnusualFactor * (step > 0 ? 1.2 : 1 / 1.2), 1, 2);
                    break;
                case SignalKind.DoorOpenNight:
                    DoorOpenExtraMinutes = Math.Clamp(DoorOpenExtraMinutes + step * 10, 0, 45);
                    break;
                default:
                    if (SignalNames.LayerOf(label.Kind) == SignalLayer.Decline)
                    {
                        DeclineStrictness = Math.Clamp(DeclineStrictness + step * 0.05, 0, 0.15);
                    }

                    break;
            }
        }
    }

    public double NotUpExtraMinutes { get; private set; }

    public double DoorOpenExtraMinutes { get; private set; }

    /// <summary>Multiplies the night-visit tail probability needed to raise (smaller = stricter).</summary>
    public double NightTailFactor { get; private set; } = 1;

    /// <summary>Multiplies the unusual-day score threshold.</summary>
    public double UnusualFactor { get; private set; } = 1;

    /// <summary>Extra relative change a decline needs (0.05 = five points more).</summary>
    public double DeclineStrictness { get; private set; }

    public double InactivityFactor(int hour) => _inactivityFactor[hour];
}
