using System.Globalization;
using System.Text;
using HomeSignal.Contracts.Payloads;
using Microsoft.Data.Sqlite;

namespace HomeSignal.Hub.Storage.Sqlite;

/// <summary>
/// The default event store: one SQLite file with raw events (unique on kit, boot, seq) and activity aggregates.
/// Personal details never live here; they are in the registry's own file.
/// </summary>
public sealed class SqliteEventStore : IEventStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS events(
            kit_id TEXT NOT NULL, boot_id TEXT NOT NULL, seq INTEGER NOT NULL,
            sensor_id TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
            ts INTEGER NOT NULL, received_at INTEGER NOT NULL, clock_synced INTEGER NOT NULL,
            quarantine_reason TEXT NULL,
            PRIMARY KEY(kit_id, boot_id, seq)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_events_ts ON events(ts);
        CREATE INDEX IF NOT EXISTS ix_events_kit_ts ON events(kit_id, ts);
        DROP INDEX IF EXISTS ix_events_received;
        CREATE INDEX IF NOT EXISTS ix_events_quarantined_received ON events(received_at) WHERE quarantine_reason IS NOT NULL;
        CREATE TABLE IF NOT EXISTS aggregates(
            resident_id TEXT NOT NULL, granularity TEXT NOT NULL, start INTEGER NOT NULL,
            motion INTEGER NOT NULL, door_openings INTEGER NOT NULL, outings INTEGER NULL, minutes_out REAL NULL,
            mailbox_deliveries INTEGER NOT NULL, mailbox_collections INTEGER NOT NULL, night_motion INTEGER NULL,
            first_activity INTEGER NULL, last_activity INTEGER NULL,
            PRIMARY KEY(resident_id, granularity, start)) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase _db;

    public SqliteEventStore(string path) => _db = new SqliteDatabase(path, Schema);

    public string Path => _db.Path;

    public async Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<EventToStore> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new StoreOutcome[batch.Count];
        if (batch.Count == 0)
        {
            return outcomes;
        }

        return await _db.WriteAsync(command =>
        {
            command.CommandText = """
                INSERT INTO events(kit_id, boot_id, seq, sensor_id, kind, state, ts, received_at, clock_synced, quarantine_reason)
                VALUES($kit, $boot, $seq, $sensor, $kind, $state, $ts, $received, $synced, $quarantine)
                ON CONFLICT(kit_id, boot_id, seq) DO NOTHING;
                """;
            var kit = command.Parameters.Add("$kit", SqliteType.Text);
            var boot = command.Parameters.Add("$boot", SqliteType.Text);
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            var sensor = command.Parameters.Add("$sensor", SqliteType.Text);
            var kind = command.Parameters.Add("$kind", SqliteType.Text);
            var state = command.Parameters.Add("$state", SqliteType.Text);
            var ts = command.Parameters.Add("$ts", SqliteType.Integer);
            var received = command.Parameters.Add("$received", SqliteType.Integer);
            var synced = command.Parameters.Add("$synced", SqliteType.Integer);
            var quarantine = command.Parameters.Add("$quarantine", SqliteType.Text);
            command.Prepare();

            for (var i = 0; i < batch.Count; i++)
            {
                var item = batch[i];
                var e = item.Event;
                kit.Value = e.KitId;
                boot.Value = e.BootId;
                seq.Value = e.Seq;
                sensor.Value = e.SensorId;
                kind.Value = SensorKinds.ToText(e.Kind);
                state.Value = e.State;
                ts.Value = SqliteTime.ToMs(e.Ts);
                received.Value = SqliteTime.ToMs(item.ReceivedAt);
                synced.Value = e.ClockSynced ? 1 : 0;
                quarantine.Value = (object?)item.QuarantineReason ?? DBNull.Value;
                var changed = command.ExecuteNonQuery();
                outcomes[i] = changed == 0 ? StoreOutcome.Duplicate
                    : item.QuarantineReason is null ? StoreOutcome.Stored : StoreOutcome.Quarantined;
            }

            return outcomes;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT kit_id, boot_id, seq, sensor_id, kind, state, ts, received_at, clock_synced, quarantine_reason FROM events WHERE 1=1");
        if (!query.IncludeQuarantined)
        {
            sql.Append(" AND quarantine_reason IS NULL");
        }

        if (query.KitIds is { } kits)
        {
            if (kits.Count == 0)
            {
                return [];
            }

            var names = new List<string>();
            var i = 0;
            foreach (var kitId in kits)
            {
                var name = "$k" + i.ToString(CultureInfo.InvariantCulture);
                names.Add(name);
                command.Parameters.AddWithValue(name, kitId);
                i++;
            }

            sql.Append(" AND kit_id IN (").Append(string.Join(',', names)).Append(')');
        }

        if (query.From is { } from)
        {
            sql.Append(" AND ts >= $from");
            command.Parameters.AddWithValue("$from", SqliteTime.ToMs(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND ts < $to");
            command.Parameters.AddWithValue("$to", SqliteTime.ToMs(to));
        }

        var direction = query.Order == EventOrder.NewestFirst ? "DESC" : "ASC";
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY ts {direction}, received_at {direction}, seq {direction} LIMIT $limit");
        command.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
        command.CommandText = sql.ToString();

        var result = new List<StoredEvent>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new StoredEvent(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                SensorKinds.FromText(reader.GetString(4)),
                reader.GetString(5),
                SqliteTime.FromMs(reader.GetInt64(6)),
                SqliteTime.FromMs(reader.GetInt64(7)),
                reader.GetInt64(8) != 0,
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return result;
    }

    public async Task SaveAggregatesAsync(string residentId, AggregateGranularity granularity, IReadOnlyList<ActivityAggregate> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await _db.WriteAsync(command =>
        {
            command.CommandText = """
                INSERT OR REPLACE INTO aggregates(resident_id, granularity, start, motion, door_openings, outings, minutes_out,
                    mailbox_deliveries, mailbox_collections, night_motion, first_activity, last_activity)
                VALUES($r, $g, $start, $motion, $doors, $outings, $minutes, $deliveries, $collections, $night, $first, $last);
                """;
            foreach (var row in rows)
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$r", residentId);
                command.Parameters.AddWithValue("$g", GranularityText(granularity));
                command.Parameters.AddWithValue("$start", SqliteTime.ToMs(row.Start));
                command.Parameters.AddWithValue("$motion", row.Motion);
                command.Parameters.AddWithValue("$doors", row.DoorOpenings);
                command.Parameters.AddWithValue("$outings", (object?)row.Outings ?? DBNull.Value);
                command.Parameters.AddWithValue("$minutes", (object?)row.MinutesOut ?? DBNull.Value);
                command.Parameters.AddWithValue("$deliveries", row.MailboxDeliveries);
                command.Parameters.AddWithValue("$collections", row.MailboxCollections);
                command.Parameters.AddWithValue("$night", (object?)row.NightMotion ?? DBNull.Value);
                command.Parameters.AddWithValue("$first", SqliteTime.ToDb(row.FirstActivity));
                command.Parameters.AddWithValue("$last", SqliteTime.ToDb(row.LastActivity));
                command.ExecuteNonQuery();
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ActivityAggregate>> QueryAggregatesAsync(string residentId, AggregateGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT start, motion, door_openings, outings, minutes_out, mailbox_deliveries, mailbox_collections, night_motion, first_activity, last_activity
            FROM aggregates WHERE resident_id = $r AND granularity = $g AND start >= $from AND start < $to ORDER BY start;
            """;
        command.Parameters.AddWithValue("$r", residentId);
        command.Parameters.AddWithValue("$g", GranularityText(granularity));
        command.Parameters.AddWithValue("$from", SqliteTime.ToMs(from));
        command.Parameters.AddWithValue("$to", SqliteTime.ToMs(to));
        var result = new List<ActivityAggregate>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ActivityAggregate
            {
                Start = SqliteTime.FromMs(reader.GetInt64(0)),
                Motion = reader.GetInt32(1),
                DoorOpenings = reader.GetInt32(2),
                Outings = reader.IsDBNull(3) ? null : reader.GetInt32(3),
                MinutesOut = reader.IsDBNull(4) ? null : reader.GetDouble(4),
                MailboxDeliveries = reader.GetInt32(5),
                MailboxCollections = reader.GetInt32(6),
                NightMotion = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                FirstActivity = SqliteTime.FromDb(reader, 8),
                LastActivity = SqliteTime.FromDb(reader, 9),
            });
        }

        return result;
    }

    public async Task<RetentionResult> ApplyRetentionAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        return await _db.WriteAsync(command =>
        {
            // Quarantined events carry an untrustworthy kit time, so their age is judged by when the hub received them.
            command.CommandText = """
                DELETE FROM events WHERE (quarantine_reason IS NULL AND ts < $raw) OR (quarantine_reason IS NOT NULL AND received_at < $raw);
                """;
            command.Parameters.AddWithValue("$raw", SqliteTime.ToMs(cutoffs.RawEventsBefore));
            var raw = command.ExecuteNonQuery();

            command.Parameters.Clear();
            command.CommandText = "DELETE FROM aggregates WHERE start < $agg;";
            command.Parameters.AddWithValue("$agg", SqliteTime.ToMs(cutoffs.AggregatesBefore));
            var aggregates = command.ExecuteNonQuery();
            return new RetentionResult(raw, aggregates);
        }, cancellationToken);
    }

    public async Task DeleteResidentDataAsync(string residentId, IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kitIds);
        await _db.WriteAsync(command =>
        {
            command.CommandText = "DELETE FROM events WHERE kit_id = $kit;";
            var kit = command.Parameters.Add("$kit", SqliteType.Text);
            foreach (var kitId in kitIds)
            {
                kit.Value = kitId;
                command.ExecuteNonQuery();
            }

            command.Parameters.Clear();
            command.CommandText = "DELETE FROM aggregates WHERE resident_id = $r;";
            command.Parameters.AddWithValue("$r", residentId);
            command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <summary>Counts raw rows (quarantined included): used by retention checks and the benchmark's loss/duplicate check.</summary>
    public async Task<long> CountEventsAsync(CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events;";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static string GranularityText(AggregateGranularity granularity) =>
        granularity == AggregateGranularity.Hour ? "hour" : "day";
}
