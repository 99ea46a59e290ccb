using System.Globalization;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using Microsoft.Extensions.Logging;

namespace HomeSignal.Hub.Storage.Influx;

/// <summary>What one retention run removed: everything older than the two cut-offs.</summary>
public sealed record RetentionResult(DateTimeOffset RawCutoff, DateTimeOffset AggregateCutoff);

public sealed partial class InfluxEventStore
{
    private const string EventColumns = "\"kit\", \"sensor\", \"kind\", \"state\", \"seq\", \"boot\", \"clock_synced\"";

    /// <summary>One kit's stored events in [<paramref name="from"/>, <paramref name="to"/>), oldest first (times in whole milliseconds).</summary>
    public async Task<IReadOnlyList<SensorEvent>> ReadEventsAsync(string kitId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var q = $"SELECT {EventColumns} FROM {Measurement(InfluxSchema.RawPolicy, InfluxSchema.EventMeasurement)} WHERE {KitFilter(kitId)} AND {TimeRange(from, to)}";
        return ToEvents(await _api.QueryAsync(q, changes: false, cancellationToken));
    }

    /// <summary>Every kit's events in [<paramref name="from"/>, <paramref name="to"/>), grouped by kit (for roll-ups).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<SensorEvent>>> ReadAllEventsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var q = $"SELECT {EventColumns} FROM {Measurement(InfluxSchema.RawPolicy, InfluxSchema.EventMeasurement)} WHERE {TimeRange(from, to)}";
        return ToEvents(await _api.QueryAsync(q, changes: false, cancellationToken))
            .GroupBy(e => e.KitId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<SensorEvent>)g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>One kit's quarantined events received in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<IReadOnlyList<QuarantinedEvent>> ReadQuarantineAsync(string kitId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var q = $"SELECT {EventColumns}, \"event_ts_ms\", \"reason\" FROM {Measurement(InfluxSchema.RawPolicy, InfluxSchema.QuarantineMeasurement)} WHERE {KitFilter(kitId)} AND {TimeRange(from, to)}";
        var result = new List<QuarantinedEvent>();
        foreach (var series in await _api.QueryAsync(q, changes: false, cancellationToken))
        {
            int time = series.Column("time"), ts = series.Column("event_ts_ms"), reason = series.Column("reason");
            foreach (var row in series.Rows)
            {
                var e = ToEvent(series, row) with { Ts = DateTimeOffset.FromUnixTimeMilliseconds(row[ts].GetInt64()) };
                result.Add(new QuarantinedEvent(e, InfluxSchema.FromPointTime(row[time].GetInt64()), row[reason].GetString() ?? string.Empty));
            }
        }

        return result;
    }

    /// <summary>How many events are stored (each (kit, seq) once: replays overwrite themselves), for one kit or all.</summary>
    public async Task<long> CountEventsAsync(string? kitId, CancellationToken cancellationToken)
    {
        var where = kitId is null ? string.Empty : $" WHERE {KitFilter(kitId)}";
        var q = $"SELECT count(\"seq\") FROM {Measurement(InfluxSchema.RawPolicy, InfluxSchema.EventMeasurement)}{where}";
        return SumFirstValue(await _api.QueryAsync(q, changes: false, cancellationToken));
    }

    /// <summary>How many distinct (kit, seq) pairs are stored: equal to <see cref="CountEventsAsync"/> when nothing is duplicated.</summary>
    public async Task<long> CountDistinctEventsAsync(CancellationToken cancellationToken)
    {
        var q = $"SELECT count(distinct(\"seq\")) FROM {Measurement(InfluxSchema.RawPolicy, InfluxSchema.EventMeasurement)} GROUP BY \"kit\"";
        return SumFirstValue(await _api.QueryAsync(q, changes: false, cancellationToken));
    }

    /// <summary>One kit's hourly or daily activity with bucket starts in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<IReadOnlyList<ActivityAggregate>> ReadActivityAsync(string kitId, ActivityPeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var measurement = period == ActivityPeriod.Hour ? InfluxSchema.HourlyMeasurement : InfluxSchema.DailyMeasurement;
        var q = $"SELECT * FROM {Measurement(InfluxSchema.AggregatePolicy, measurement)} WHERE {KitFilter(kitId)} AND {TimeRange(from, to)}";
        var result = new List<ActivityAggregate>();
        foreach (var series in await _api.QueryAsync(q, changes: false, cancellationToken))
        {
            foreach (var row in series.Rows)
            {
                long Count(string column) => series.Column(column) is var i and >= 0 && row[i].ValueKind == JsonValueKind.Number ? row[i].GetInt64() : 0;
                DateTimeOffset? Time(string column) =>
                    series.Column(column) is var i and >= 0 && row[i].ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds(row[i].GetInt64()) : null;
                result.Add(new ActivityAggregate(
                    kitId,
                    period,
                    InfluxSchema.FromPointTime(row[series.Column("time")].GetInt64()),
                    Count("motion"),
                    Count("door_openings"),
                    Count("outings"),
                    Count("mailbox_deliveries"),
                    Count("mailbox_collections"),
                    Count("night_motion"),
                    Count("events"),
                    Time("first_activity_ms"),
                    Time("last_activity_ms")));
            }
        }

        return result;
    }

    /// <summary>
    /// Computes and stores the hourly and daily activity of one local day for every kit with events around it.
    /// Re-running overwrites the same points, so a day can be rolled up again as late events arrive.
    /// </summary>
    public async Task<int> RollUpDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var (start, end) = _rules.LocalDay(day);
        var asOf = _time.GetUtcNow();
        var byKit = await ReadAllEventsAsync(start - _rules.Lookback, end + _rules.Lookahead, cancellationToken);
        var lines = new List<string>();
        foreach (var (kit, events) in byKit)
        {
            lines.AddRange(ActivityAggregator.ForDay(kit, day, events, _rules, asOf).Select(InfluxSchema.AggregateLine));
        }

        await _writer.WriteDirectAsync(InfluxSchema.AggregatePolicy, lines, cancellationToken);
        return lines.Count;
    }

    /// <summary>
    /// Deletes raw and quarantined events older than <see cref="InfluxOptions.RawRetention"/> and aggregates older
    /// than <see cref="InfluxOptions.AggregateRetention"/>. The retention policies drop whole shards later anyway; this
    /// makes the cut exact and immediate.
    /// </summary>
    public async Task<RetentionResult> ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var rawCutoff = now - _options.RawRetention;
        var aggregateCutoff = now - _options.AggregateRetention;
        // DELETE covers every retention policy of the database; the measurement names keep raw and aggregates apart.
        foreach (var (measurement, cutoff) in new[]
                 {
                     (InfluxSchema.EventMeasurement, rawCutoff),
                     (InfluxSchema.QuarantineMeasurement, rawCutoff),
                     (InfluxSchema.HourlyMeasurement, aggregateCutoff),
                     (InfluxSchema.DailyMeasurement, aggregateCutoff),
                 })
        {
            var q = string.Create(CultureInfo.InvariantCulture, $"DELETE FROM \"{measurement}\" WHERE time < {InfluxSchema.ToUnixNanoseconds(cutoff)}");
            await _api.QueryAsync(q, changes: true, cancellationToken);
        }

        _logger.LogInformation("Retention applied: raw events before {RawCutoff:O}, aggregates before {AggregateCutoff:O} deleted", rawCutoff, aggregateCutoff);
        return new RetentionResult(rawCutoff, aggregateCutoff);
    }

    /// <summary>Retention, then roll-ups of yesterday and today (local): what the maintenance service runs periodically.</summary>
    public async Task RunMaintenanceAsync(CancellationToken cancellationToken)
    {
        await ApplyRetentionAsync(cancellationToken);
        var today = _rules.LocalDate(_time.GetUtcNow());
        await RollUpDayAsync(today.AddDays(-1), cancellationToken);
        await RollUpDayAsync(today, cancellationToken);
    }

    private string Measurement(string policy, string measurement) => $"\"{_options.Database}\".\"{policy}\".\"{measurement}\"";

    private static string KitFilter(string kitId)
    {
        // Kit ids are lower-case letters, digits and dashes: safe inside an InfluxQL string literal, checked anyway.
        if (!KitId.IsValid(kitId))
        {
            throw new ArgumentException($"'{kitId}' is not a valid kit id.", nameof(kitId));
        }

        return $"\"kit\" = '{kitId}'";
    }

    private static string TimeRange(DateTimeOffset from, DateTimeOffset to) =>
        string.Create(CultureInfo.InvariantCulture, $"time >= {InfluxSchema.ToUnixNanoseconds(from)} AND time < {InfluxSchema.ToUnixNanoseconds(to)}");

    private static long SumFirstValue(IReadOnlyList<InfluxSeries> answer) =>
        answer.Sum(s => s.Rows.Sum(r => r.Length > 1 && r[1].ValueKind == JsonValueKind.Number ? r[1].GetInt64() : 0));

    private static List<SensorEvent> ToEvents(IReadOnlyList<InfluxSeries> answer)
    {
        var result = new List<SensorEvent>();
        foreach (var series in answer)
        {
            foreach (var row in series.Rows)
            {
                result.Add(ToEvent(series, row));
            }
        }

        return result;
    }

    private static SensorEvent ToEvent(InfluxSeries series, JsonElement[] row)
    {
        string Text(string column) => series.Column(column) is var i and >= 0 && row[i].ValueKind == JsonValueKind.String ? row[i].GetString()! : string.Empty;
        var kindName = Text("kind");
        if (!InfluxSchema.TryParseKind(kindName, out var kind))
        {
            throw new InfluxException($"A stored event has an unknown sensor kind '{kindName}'.");
        }

        return new SensorEvent
        {
            KitId = Text("kit"),
            BootId = Text("boot"),
            Seq = row[series.Column("seq")].GetInt64(),
            SensorId = Text("sensor"),
            Kind = kind,
            State = Text("state"),
            Ts = InfluxSchema.FromPointTime(row[series.Column("time")].GetInt64()),
            ClockSynced = row[series.Column("clock_synced")].ValueKind == JsonValueKind.True,
        };
    }
}
