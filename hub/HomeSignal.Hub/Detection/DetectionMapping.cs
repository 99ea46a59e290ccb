using HomeSignal.Contracts.Payloads;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Signals;
using HomeSignal.Hub.Registry;
using DetectionContext = HomeSignal.Detection.History.ContextPeriod;
using DetectionLabel = HomeSignal.Detection.Labels.Label;
using DetectionSignal = HomeSignal.Detection.Signals.Signal;
using HubSignal = HomeSignal.Hub.Signals.Signal;

namespace HomeSignal.Hub.Detection;

/// <summary>Translates between the registry's records (API vocabulary) and the detection engine's types.</summary>
public static class DetectionMapping
{
    public static SensorMap SensorMapOf(IEnumerable<KitRecord> kits) =>
        new(kits.SelectMany(k => k.Sensors)
            .GroupBy(s => s.SensorId, StringComparer.Ordinal)
            .Select(g => g.First())
            .Select(s => new SensorAssignment(s.SensorId, s.Kind, s.Room ?? s.SensorId, s.Purpose ?? string.Empty)));

    public static DetectionContext? ContextOf(Registry.ContextPeriod period) => period.Kind switch
    {
        "holiday" => new DetectionContext(ContextKind.Holiday, period.From, period.To, period.Note),
        "hospital" => new DetectionContext(ContextKind.Hospital, period.From, period.To, period.Note),
        "day-care" => new DetectionContext(ContextKind.DayCare, period.From, period.To, period.Note),
        "visit" => new DetectionContext(ContextKind.Visit, period.From, period.To, period.Note),
        "life-event" => new DetectionContext(ContextKind.LifeEvent, period.From, period.To, period.Note),
        _ => null,
    };

    /// <summary>
    /// A recorded outcome becomes a label for the rule that raised the signal. Signal ids are
    /// <c>{resident}:{kind}:{episode start, unix seconds}</c>; the time the signal was raised comes from the stored signal.
    /// </summary>
    public static DetectionLabel? LabelOf(Registry.Label label, HubSignal? signal)
    {
        var outcome = DetectionLabel.ParseOutcome(label.Outcome);
        var kind = signal is null ? KindFromId(label.SignalId) : KindOf(signal.Kind);
        if (outcome is null || kind is null)
        {
            return null;
        }

        return new DetectionLabel(kind.Value, signal?.RaisedAt ?? label.RecordedAt, outcome.Value);
    }

    public static HubSignal ToHub(DetectionSignal s, DateTimeOffset now) => new()
    {
        SignalId = s.SignalId,
        ResidentId = s.ResidentId,
        Kind = SignalNames.ApiName(s.Kind),
        Severity = SignalNames.ApiName(s.Severity),
        Layer = SignalNames.ApiName(s.Layer),
        RaisedAt = s.RaisedAt,
        UpdatedAt = now,
        Title = s.Title,
        Reason = s.Reason,
        TodayValue = s.TodayValue,
        NormalRange = s.NormalRange,
        Since = s.Since,
        Sensors = s.Sensors,
        Question = s.Question,
        Evidence = s.Evidence,
    };

    private static SignalKind? KindFromId(string signalId)
    {
        var parts = signalId.Split(':');
        return parts.Length == 3 ? KindOf(parts[1]) : null;
    }

    private static SignalKind? KindOf(string apiName)
    {
        foreach (var kind in Enum.GetValues<SignalKind>())
        {
            if (SignalNames.ApiName(kind) == apiName)
            {
                return kind;
            }
        }

        return null;
    }
}
