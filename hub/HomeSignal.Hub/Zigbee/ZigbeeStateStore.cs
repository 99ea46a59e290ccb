using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Hub.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace HomeSignal.Hub.Zigbee;

/// <summary>A virtual kit's identity towards the event store: one boot id for its life, and the next sequence number.</summary>
public sealed record ZigbeeKitState(string KitId, string BootId, long NextSeq);

/// <summary>What the hub last knew of one mapped device.</summary>
public sealed record ZigbeeSensorState(
    string KitId,
    string SensorId,
    string? State,
    DateTimeOffset? ChangedAt,
    double? Battery,
    int? LinkQuality,
    bool? Online,
    DateTimeOffset? LastSeen,
    string? BatterySignalId,
    string? OfflineSignalId);

/// <summary>
/// The bridge's durable memory (WAL, synchronous=FULL): the last state per sensor, each virtual kit's boot and
/// sequence, and an outbox of events derived from a state change but not yet stored. A change is written here before it
/// is handed to ingestion, in one transaction with its sequence number, so a restart neither re-emits nor loses it:
/// the outbox is replayed at start and the event store deduplicates on (kit, boot, seq).
/// </summary>
public sealed class ZigbeeStateStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS zigbee_kits(kit_id TEXT PRIMARY KEY, boot_id TEXT NOT NULL, next_seq INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS zigbee_sensors(
            kit_id TEXT NOT NULL, sensor_id TEXT NOT NULL, state TEXT NULL, changed_at INTEGER NULL, battery REAL NULL,
            link_quality INTEGER NULL, online INTEGER NULL, last_seen INTEGER NULL, battery_signal TEXT NULL, offline_signal TEXT NULL,
            PRIMARY KEY(kit_id, sensor_id));
        CREATE TABLE IF NOT EXISTS zigbee_outbox(
            kit_id TEXT NOT NULL, boot_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json BLOB NOT NULL, received_at INTEGER NOT NULL,
            PRIMARY KEY(kit_id, boot_id, seq));
        """;

    private readonly SqliteDatabase _db;

    public ZigbeeStateStore(string path) => _db = new SqliteDatabase(path, Schema);

    public string Path => _db.Path;

    public IReadOnlyList<ZigbeeKitState> LoadKits()
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kit_id, boot_id, next_seq FROM zigbee_kits;";
        using var reader = command.ExecuteReader();
        var result = new List<ZigbeeKitState>();
        while (reader.Read())
        {
            result.Add(new ZigbeeKitState(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return result;
    }

    public IReadOnlyList<ZigbeeSensorState> LoadSensors()
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kit_id, sensor_id, state, changed_at, battery, link_quality, online, last_seen, battery_signal, offline_signal FROM zigbee_sensors;";
        using var reader = command.ExecuteReader();
        var result = new List<ZigbeeSensorState>();
        while (reader.Read())
        {
            result.Add(new ZigbeeSensorState(
                reader.GetString(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                SqliteTime.FromDb(reader, 3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6) != 0,
                SqliteTime.FromDb(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return result;
    }

    /// <summary>Events recorded but not yet confirmed stored (a restart between the two), oldest first.</summary>
    public IReadOnlyList<(SensorEvent Event, DateTimeOffset ReceivedAt)> LoadOutbox()
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kit_id, event_json, received_at FROM zigbee_outbox ORDER BY kit_id, boot_id, seq;";
        using var reader = command.ExecuteReader();
        var result = new List<(SensorEvent, DateTimeOffset)>();
        while (reader.Read())
        {
            var read = ContractReader.ReadEvent((byte[])reader.GetValue(1), reader.GetString(0));
            if (read.IsValid)
            {
                result.Add((read.Value!, SqliteTime.FromMs(reader.GetInt64(2))));
            }
        }

        return result;
    }

    public Task SaveKitAsync(ZigbeeKitState kit, CancellationToken cancellationToken) =>
        _db.WriteAsync(command => UpsertKit(command, kit), cancellationToken);

    /// <summary>One transaction: the sensor's new state and health, the kit's next sequence, and the event in the outbox.</summary>
    public Task RecordChangeAsync(ZigbeeKitState kit, ZigbeeSensorState sensor, SensorEvent change, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        _db.WriteAsync(command =>
        {
            UpsertKit(command, kit);
            UpsertSensor(command, sensor);
            command.Parameters.Clear();
            command.CommandText = "INSERT OR REPLACE INTO zigbee_outbox(kit_id, boot_id, seq, event_json, received_at) VALUES($k, $b, $s, $json, $at);";
            command.Parameters.AddWithValue("$k", change.KitId);
            command.Parameters.AddWithValue("$b", change.BootId);
            command.Parameters.AddWithValue("$s", change.Seq);
            command.Parameters.AddWithValue("$json", ContractReader.Write(change));
            command.Parameters.AddWithValue("$at", SqliteTime.ToMs(receivedAt));
            command.ExecuteNonQuery();
        }, cancellationToken);

    public Task SaveSensorAsync(ZigbeeSensorState sensor, CancellationToken cancellationToken) =>
        _db.WriteAsync(command => UpsertSensor(command, sensor), cancellationToken);

    /// <summary>The event store has the event durably: it leaves the outbox.</summary>
    public Task RemoveFromOutboxAsync(string kitId, string bootId, long seq, CancellationToken cancellationToken) =>
        _db.WriteAsync(command =>
        {
            command.CommandText = "DELETE FROM zigbee_outbox WHERE kit_id=$k AND boot_id=$b AND seq=$s;";
            command.Parameters.AddWithValue("$k", kitId);
            command.Parameters.AddWithValue("$b", bootId);
            command.Parameters.AddWithValue("$s", seq);
            command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Forgets these virtual kits entirely: state, battery, boot, sequence and unstored changes (decommissioning).</summary>
    public Task DeleteKitsAsync(IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken) =>
        _db.WriteAsync(command =>
        {
            command.CommandText = "DELETE FROM zigbee_kits WHERE kit_id=$k; DELETE FROM zigbee_sensors WHERE kit_id=$k; DELETE FROM zigbee_outbox WHERE kit_id=$k;";
            var kit = command.Parameters.Add("$k", SqliteType.Text);
            foreach (var kitId in kitIds)
            {
                kit.Value = kitId;
                command.ExecuteNonQuery();
            }
        }, cancellationToken);

    public long OutboxDepth()
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM zigbee_outbox;";
        return (long)command.ExecuteScalar()!;
    }

    private static void UpsertKit(SqliteCommand command, ZigbeeKitState kit)
    {
        command.Parameters.Clear();
        command.CommandText = "INSERT OR REPLACE INTO zigbee_kits(kit_id, boot_id, next_seq) VALUES($k, $b, $n);";
        command.Parameters.AddWithValue("$k", kit.KitId);
        command.Parameters.AddWithValue("$b", kit.BootId);
        command.Parameters.AddWithValue("$n", kit.NextSeq);
        command.ExecuteNonQuery();
    }

    private static void UpsertSensor(SqliteCommand command, ZigbeeSensorState s)
    {
        command.Parameters.Clear();
        command.CommandText = """
            INSERT OR REPLACE INTO zigbee_sensors(kit_id, sensor_id, state, changed_at, battery, link_quality, online, last_seen, battery_signal, offline_signal)
            VALUES($k, $s, $state, $changed, $battery, $lq, $online, $seen, $bs, $os);
            """;
        command.Parameters.AddWithValue("$k", s.KitId);
        command.Parameters.AddWithValue("$s", s.SensorId);
        command.Parameters.AddWithValue("$state", (object?)s.State ?? DBNull.Value);
        command.Parameters.AddWithValue("$changed", SqliteTime.ToDb(s.ChangedAt));
        command.Parameters.AddWithValue("$battery", (object?)s.Battery ?? DBNull.Value);
        command.Parameters.AddWithValue("$lq", (object?)s.LinkQuality ?? DBNull.Value);
        command.Parameters.AddWithValue("$online", s.Online is { } online ? (online ? 1 : 0) : DBNull.Value);
        command.Parameters.AddWithValue("$seen", SqliteTime.ToDb(s.LastSeen));
        command.Parameters.AddWithValue("$bs", (object?)s.BatterySignalId ?? DBNull.Value);
        command.Parameters.AddWithValue("$os", (object?)s.OfflineSignalId ?? DBNull.Value);
        command.ExecuteNonQuery();
    }
}
