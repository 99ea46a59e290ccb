using System.Globalization;
using System.Text.Json;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Storage.Influx;

public sealed partial class InfluxEventStore
{
    private const string EventColumns = "\"kit\", \"sensor\", \"kind\", \"state\", \"seq\", \"boot\", \"clock_synced\"";

    /// <summary>
    /// Reads events by kit and event time. Quarantined events (when asked for) are matched and ordered by their
    /// receive time, since their own time is what could not be trusted.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        if (query.KitIds is { Count: 0 })
        {
            return [];
        }

        var conditions = new List<string>();
        if (query.KitIds is { } kits)
        {
            conditions.Add("(" + string.Join(" OR ", kits.Select(KitFilter)) + ")");
        }

        if (query.From is { } from)
        {
            conditions.Add(string.Create(CultureInfo.InvariantCulture, $"time >= {InfluxSchema.ToUnixNanoseconds(from)}"));
        }

        if (query.To is { } to)
        {
            conditions.Add(string.Create(CultureInfo.InvariantCulture, $"time < {InfluxSchema.ToUnixNanoseconds(to)}"));
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        var tail = (query.Order == EventOrder.NewestFirst ? " ORDER BY time DESC" : string.Empty)
                   + (query.Limit < int.MaxValue ? string.Create(CultureInfo.InvariantCulture, $" LIMIT {query.Limit}") : string.Empty);

        var events = ToEvents(await _api.QueryAsync(
            $"SELECT {EventColumns}, \"received_ms\", \"{InfluxSchema.ProvenanceField}\" FROM {Measurement(InfluxSchema.RawPolicy, InfluxSchema.EventMeasurement)}{where}{tail}", changes: false, cancellationToken), quarantined: false);
        if (!query.IncludeQuarantined)
        {
            return events.Select(e => e.Event).ToList();
        }

        var quarantined = ToEvents(await _api.QueryAsync(
            $"SELECT {EventColumns}, \"event_ts_ms\", \"reason\" FROM {Measurement(InfluxSchema.RawPolicy, InfluxSchema.QuarantineMeasurement)}{where}{tail}", changes: false, cancellationToken), quarantined: true);
        var merged = query.Order == EventOrder.NewestFirst
            ? events.Concat(quarantined).OrderByDescending(e => e.PointTime)
            : events.Concat(quarantined).OrderBy(e => e.PointTime);
        return merged.Take(query.Limit).Select(e => e.Event).ToList();
    }

    /// <summary>Inserts or replaces one resident's aggregate rows (InfluxDB overwrites the same resident, measurement and start).</summary>
    public async Task SaveAggregatesAsync(string residentId, AggregateGranularity granularity, IReadOnlyList<ActivityAggregate> rows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(residentId);
        ArgumentNullException.ThrowIfNull(rows);
        var lines = rows.Select(r => InfluxSchema.AggregateLine(residentId, granularity, r)).ToList();
        await _writer.WriteDirectAsync(InfluxSchema.AggregatePolicy, lines, cancellationToken);
    }

    public async Task<IReadOnlyList<ActivityAggregate>> QueryAggregatesAsync(string residentId, AggregateGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(residentId);
        var measurement = granularity == AggregateGranularity.Hour ? InfluxSchema.HourlyMeasurement : InfluxSchema.DailyMeasurement;
        var q = $"SELECT * FROM {Measurement(InfluxSchema.AggregatePolicy, measurement)} WHERE \"resident\" = {Literal(residentId)} AND {TimeRange(from, to)}";
        var result = new List<ActivityAggregate>();
        foreach (var series in await _api.QueryAsync(q, changes: false, cancellationToken))
        {
            foreach (var row in series.Rows)
            {
                long? Number(string column) =>
                    series.Column(column) is var i and >= 0 && row[i].ValueKind == JsonValueKind.Number && row[i].GetDouble() is var v && v >= 0 ? (long)v : null;
                double? Real(string column) =>
                    series.Column(column) is var i and >= 0 && row[i].ValueKind == JsonValueKind.Number && row[i].GetDouble() is var v && v >= 0 ? v : null;
                DateTimeOffset? Time(string column) => Number(column) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
                result.Add(new ActivityAggregate
                {
                    Start = InfluxSchema.FromPointTime(row[series.Column("time")].GetInt64()),
                    Motion = (int)(Number("motion") ?? 0),
                    DoorOpenings = (int)(Number("door_openings") ?? 0),
                    MailboxDeliveries = (int)(Number("mailbox_deliveries") ?? 0),
                    MailboxCollections = (int)(Number("mailbox_collections") ?? 0),
                    Outings = (int?)Number("outings"),
                    MinutesOut = Real("minutes_out"),
                    NightMotion = (int?)Number("night_motion"),
                    FirstActivity = Time("first_activity_ms"),
                    LastActivity = Time("last_activity_ms"),
                });
            }
        }

        return result;
    }

    /// <summary>
    /// Deletes raw events (by event time) and quarantined ones (by receive time) before the raw cut-off, and aggregate
    /// rows starting before theirs. The retention policies would drop whole shards later anyway; this cut is exact
    /// and immediate. Counts are taken just before the delete.
    /// </summary>
    public async Task<RetentionResult> ApplyRetentionAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        if (!IsRunning)
        {
            // Not started yet (the database may not exist, or InfluxDB is not up): nothing can be past retention that
            // this store wrote, and the retention worker's next tick applies it.
            LogRetentionBeforeStart();
            return new RetentionResult(0, 0);
        }

        var raw = InfluxSchema.ToUnixNanoseconds(cutoffs.RawEventsBefore);
        var aggregates = InfluxSchema.ToUnixNanoseconds(cutoffs.AggregatesBefore);
        var rawCount = await CountBeforeAsync(InfluxSchema.RawPolicy, InfluxSchema.EventMeasurement, "seq", raw, cancellationToken)
                       + await CountBeforeAsync(InfluxSchema.RawPolicy, InfluxSchema.QuarantineMeasurement, "seq", raw, cancellationToken);
        var aggregateCount = await CountBeforeAsync(InfluxSchema.AggregatePolicy, InfluxSchema.HourlyMeasurement, "motion", aggregates, cancellationToken)
                             + await CountBeforeAsync(InfluxSchema.AggregatePolicy, InfluxSchema.DailyMeasurement, "motion", aggregates, cancellationToken);

        // DELETE covers every retention policy of the database; the measurement names keep raw and aggregates apart.
        foreach (var (measurement, cutoff) in new[]
                 {
                     (InfluxSchema.EventMeasurement, raw),
                     (InfluxSchema.QuarantineMeasurement, raw),
                     (InfluxSchema.HourlyMeasurement, aggregates),
                     (InfluxSchema.DailyMeasurement, aggregates),
                 })
        {
            await _api.QueryAsync(string.Create(CultureInfo.InvariantCulture, $"DELETE FROM \"{measurement}\" WHERE time < {cutoff}"), changes: true, cancellationToken);
        }

        return new RetentionResult(rawCount, aggregateCount);
    }

    /// <summary>Deletes the events (normal and quarantined) of the resident's kits and the resident's aggregates.</summary>
    public async Task DeleteResidentDataAsync(string residentId, IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(residentId);
        ArgumentNullException.ThrowIfNull(kitIds);
        var statements = kitIds.SelectMany(kit => new[]
            {
                $"DELETE FROM \"{InfluxSchema.EventMeasurement}\" WHERE {KitFilter(kit)}",
                $"DELETE FROM \"{InfluxSchema.QuarantineMeasurement}\" WHERE {KitFilter(kit)}",
            })
            .Concat(
            [
                $"DELETE FROM \"{InfluxSchema.HourlyMeasurement}\" WHERE \"resident\" = {Literal(residentId)}",
                $"DELETE FROM \"{InfluxSchema.DailyMeasurement}\" WHERE \"resident\" = {Literal(residentId)}",
            ]);
        foreach (var statement in statements)
        {
            await _api.QueryAsync(statement, changes: true, cancellationToken);
        }
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

    private async Task<long> CountBeforeAsync(string policy, string measurement, string field, long beforeNanoseconds, CancellationToken cancellationToken)
    {
        var q = string.Create(CultureInfo.InvariantCulture, $"SELECT count(\"{field}\") FROM {Measurement(policy, measurement)} WHERE time < {beforeNanoseconds}");
        return SumFirstValue(await _api.QueryAsync(q, changes: false, cancellationToken));
    }

    private string Measurement(string policy, string measurement) => $"{Quote(_options.Database)}.\"{policy}\".\"{measurement}\"";

    private static string KitFilter(string kitId)
    {
        // Kit ids are lower-case letters, digits and dashes: safe inside an InfluxQL string literal, checked anyway.
        if (!KitId.IsValid(kitId))
        {
            throw new ArgumentException($"'{kitId}' is not a valid kit id.", nameof(kitId));
        }

        return $"\"kit\" = '{kitId}'";
    }

    /// <summary>An InfluxQL string literal: backslash and single quote escaped.</summary>
    private static string Literal(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string TimeRange(DateTimeOffset from, DateTimeOffset to) =>
        string.Create(CultureInfo.InvariantCulture, $"time >= {InfluxSchema.ToUnixNanoseconds(from)} AND time < {InfluxSchema.ToUnixNanoseconds(to)}");

    private static long SumFirstValue(IReadOnlyList<InfluxSeries> answer) =>
        answer.Sum(s => s.Rows.Sum(r => r.Length > 1 && r[1].ValueKind == JsonValueKind.Number ? r[1].GetInt64() : 0));

    private static List<(StoredEvent Event, long PointTime)> ToEvents(IReadOnlyList<InfluxSeries> answer, bool quarantined)
    {
        var result = new List<(StoredEvent, long)>();
        foreach (var series in answer)
        {
            int time = series.Column("time"), seq = series.Column("seq"), synced = series.Column("clock_synced");
            int received = series.Column("received_ms"), eventTs = series.Column("event_ts_ms");
            foreach (var row in series.Rows)
            {
                string Text(string column) => series.Column(column) is var i and >= 0 && row[i].ValueKind == JsonValueKind.String ? row[i].GetString()! : string.Empty;
                var kindName = Text("kind");
                if (!InfluxSchema.TryParseKind(kindName, out var kind))
                {
                    throw new InfluxException($"A stored event has an unknown sensor kind '{kindName}'.");
                }

                var pointTime = row[time].GetInt64();
                var at = InfluxSchema.FromPointTime(pointTime);
                string boot;
                DateTimeOffset receivedAt;
                bool clockSynced;
                if (Text(InfluxSchema.ProvenanceField) is { Length: > 0 } provenance)
                {
                    if (!InfluxSchema.TryParseProvenance(provenance, out boot, out receivedAt, out clockSynced))
                    {
                        throw new InfluxException($"A stored event has an unreadable provenance '{provenance}'.");
                    }
                }
                else
                {
                    // Quarantined events, and events written before the provenance field, keep these as fields of their own.
                    boot = Text("boot");
                    receivedAt = quarantined ? at
                        : received >= 0 && row[received].ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds(row[received].GetInt64())
                        : throw new InfluxException("A stored event has neither a provenance nor a receive time.");
                    clockSynced = row[synced].ValueKind == JsonValueKind.True;
                }

                var e = new StoredEvent(
                    Text("kit"),
                    boot,
                    row[seq].GetInt64(),
                    Text("sensor"),
                    kind,
                    Text("state"),
                    quarantined ? DateTimeOffset.FromUnixTimeMilliseconds(row[eventTs].GetInt64()) : at,
                    receivedAt,
                    clockSynced,
                    quarantined ? Text("reason") : null);
                result.Add((e, pointTime));
            }
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention skipped: the InfluxDB store has not started yet (it runs again on the next tick).")]
    private partial void LogRetentionBeforeStart();
}
