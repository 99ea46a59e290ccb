using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Hub.Storage;

/// <summary>The contract's wire names for sensor kinds, used as stored text so rows read the same as payloads.</summary>
public static class SensorKinds
{
    public static string ToText(SensorKind kind) => kind switch
    {
        SensorKind.Door => "door",
        SensorKind.Motion => "motion",
        SensorKind.MailboxFlap => "mailbox-flap",
        SensorKind.MailboxDoor => "mailbox-door",
        SensorKind.Button => "button",
        SensorKind.Kit => "kit",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown sensor kind."),
    };

    public static SensorKind FromText(string text) => TryParse(text, out var kind)
        ? kind
        : throw new FormatException($"'{text}' is not a sensor kind.");

    public static bool TryParse(string? text, out SensorKind kind)
    {
        foreach (var candidate in Enum.GetValues<SensorKind>())
        {
            if (string.Equals(ToText(candidate), text, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
