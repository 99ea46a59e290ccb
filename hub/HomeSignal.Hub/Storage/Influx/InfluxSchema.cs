using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Storage.Influx;

/// <summary>
/// How events and aggregates are laid out in InfluxDB: two retention policies, four measurements, and what makes a
/// point unique.
/// </summary>
/// <remarks>
/// InfluxDB identifies a point by measurement, tag set and timestamp, and silently overwrites on a match. Tags here
/// are kit, sensor and kind only, so the number of series stays kits × sensors (a few per home). Making the sequence
/// number a tag would create one series per event and blow up the series index; instead the nanosecond part of the
/// timestamp carries <c>seq mod 1,000,000</c> on top of the kit's millisecond timestamp. Then:
/// <list type="bullet">
/// <item>two events of one sensor in the same millisecond differ in seq (strictly increasing per kit), so both survive;</item>
/// <item>a replay of the same (kit, boot, seq) has the same timestamp and tags, so it overwrites itself: idempotent,
/// never counted twice;</item>
/// <item>events keep millisecond resolution (what kits send); readers truncate the nanoseconds away.</item>
/// </list>
/// </remarks>
public static class InfluxSchema
{
    public const string RawPolicy = "raw";
    public const string AggregatePolicy = "aggregates";

    public const string EventMeasurement = "sensor_event";
    public const string QuarantineMeasurement = "quarantined_event";
    public const string HourlyMeasurement = "activity_hourly";
    public const string DailyMeasurement = "activity_daily";

    private const long NanosPerMilli = 1_000_000;

    /// <summary>The point timestamp: milliseconds of <paramref name="time"/> plus seq in the nanosecond digits.</summary>
    public static long PointTime(DateTimeOffset time, long seq) =>
        (time.ToUnixTimeMilliseconds() * NanosPerMilli) + (seq % NanosPerMilli);

    public static DateTimeOffset FromPointTime(long unixNanoseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.DivRem(unixNanoseconds, NanosPerMilli, out var rest) - (rest < 0 ? 1 : 0));

    public static long ToUnixNanoseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * NanosPerMilli;

    /// <summary>Sentinel for "no value" in aggregate fields: InfluxDB merges fields on overwrite, so every field is always written.</summary>
    public const long None = -1;

    internal static string EventLine(SensorEvent e, DateTimeOffset receivedAt) =>
        new LineProtocol(EventMeasurement)
            .Tag("kit", e.KitId)
            .Tag("sensor", e.SensorId)
            .Tag("kind", KindName(e.Kind))
            .Field("state", e.State)
            .Field("seq", e.Seq)
            .Field(ProvenanceField, Provenance(e.BootId, receivedAt, e.ClockSynced))
            .At(PointTime(e.Ts, e.Seq));

    /// <summary>
    /// The field holding where an event came from: <c>{boot};{received_ms};synced|unsynced</c>. InfluxDB 1.x keeps each
    /// field as a column of its own: as three fields they cost influxd about 1.6 CPU-seconds per 100,000 events against
    /// 1.1 as one (the <c>ingest-influx</c> bench), and they are only ever read together. Points written before this
    /// field have <c>boot</c>, <c>received_ms</c> and <c>clock_synced</c> instead, and read back the same.
    /// </summary>
    public const string ProvenanceField = "provenance";

    public static string Provenance(string bootId, DateTimeOffset receivedAt, bool clockSynced) =>
        string.Create(CultureInfo.InvariantCulture, $"{bootId};{receivedAt.ToUnixTimeMilliseconds()};{(clockSynced ? Synced : Unsynced)}");

    public static bool TryParseProvenance(string text, out string bootId, out DateTimeOffset receivedAt, out bool clockSynced)
    {
        bootId = string.Empty;
        receivedAt = default;
        clockSynced = false;
        var parts = text.Split(';');
        if (parts.Length != 3 || parts[0].Length == 0
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || parts[2] is not (Synced or Unsynced))
        {
            return false;
        }

        bootId = parts[0];
        receivedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        clockSynced = parts[2] == Synced;
        return true;
    }

    private const string Synced = "synced";
    private const string Unsynced = "unsynced";

    /// <summary>A quarantined event is filed at its receive time (its own time is not trusted) with the reason.</summary>
    internal static string QuarantineLine(SensorEvent e, DateTimeOffset receivedAt, string reason) =>
        new LineProtocol(QuarantineMeasurement)
            .Tag("kit", e.KitId)
            .Tag("sensor", e.SensorId)
            .Tag("kind", KindName(e.Kind))
            .Field("state", e.State)
            .Field("seq", e.Seq)
            .Field("boot", e.BootId)
            .Field("clock_synced", e.ClockSynced)
            .Field("event_ts_ms", e.Ts.ToUnixTimeMilliseconds())
            .Field("reason", reason)
            .At(PointTime(receivedAt, e.Seq));

    /// <summary>One resident's aggregate row; saving the same (resident, granularity, start) again replaces it.</summary>
    internal static string AggregateLine(string residentId, AggregateGranularity granularity, ActivityAggregate a) =>
        new LineProtocol(granularity == AggregateGranularity.Hour ? HourlyMeasurement : DailyMeasurement)
            .Tag("resident", residentId)
            .Field("motion", a.Motion)
            .Field("door_openings", a.DoorOpenings)
            .Field("mailbox_deliveries", a.MailboxDeliveries)
            .Field("mailbox_collections", a.MailboxCollections)
            .Field("outings", a.Outings ?? None)
            .Field("minutes_out", a.MinutesOut ?? None)
            .Field("night_motion", a.NightMotion ?? None)
            .Field("first_activity_ms", a.FirstActivity?.ToUnixTimeMilliseconds() ?? None)
            .Field("last_activity_ms", a.LastActivity?.ToUnixTimeMilliseconds() ?? None)
            .At(ToUnixNanoseconds(a.Start));

    /// <summary>The contract's wire name of a sensor kind, e.g. <c>mailbox-flap</c>.</summary>
    public static string KindName(SensorKind kind) => kind switch
    {
        SensorKind.Door => "door",
        SensorKind.Motion => "motion",
        SensorKind.MailboxFlap => "mailbox-flap",
        SensorKind.MailboxDoor => "mailbox-door",
        SensorKind.Button => "button",
        SensorKind.Kit => "kit",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown sensor kind."),
    };

    public static bool TryParseKind(string? name, out SensorKind kind)
    {
        foreach (var candidate in Enum.GetValues<SensorKind>())
        {
            if (string.Equals(KindName(candidate), name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
