using HomeSignal.Contracts.Serialization;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Sqlite;

namespace HomeSignal.Hub.Health;

/// <summary>Persists the latest heartbeat and last-seen per kit in the registry file.</summary>
public sealed class KitHealthStore(RegistryDatabase database)
{
    private readonly SqliteDatabase _db = database.Database;

    public async Task SaveAsync(IReadOnlyList<KitHealthSnapshot> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count == 0)
        {
            return;
        }

        await _db.WriteAsync(command =>
        {
            command.CommandText = """
                INSERT OR REPLACE INTO kit_health(kit_id, last_seen, last_heartbeat, offline, heartbeat_json)
                VALUES($kit, $seen, $hb, $offline, $json);
                """;
            foreach (var s in snapshots)
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$kit", s.KitId);
                command.Parameters.AddWithValue("$seen", SqliteTime.ToDb(s.LastSeen));
                command.Parameters.AddWithValue("$hb", SqliteTime.ToDb(s.LastHeartbeat));
                command.Parameters.AddWithValue("$offline", s.Offline ? 1 : 0);
                command.Parameters.AddWithValue("$json", s.Heartbeat is null ? DBNull.Value : System.Text.Encoding.UTF8.GetString(ContractReader.Write(s.Heartbeat)));
                command.ExecuteNonQuery();
            }
        }, cancellationToken);
    }

    public IReadOnlyList<KitHealthSnapshot> Load()
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kit_id, last_seen, last_heartbeat, offline, heartbeat_json FROM kit_health;";
        using var reader = command.ExecuteReader();
        var result = new List<KitHealthSnapshot>();
        while (reader.Read())
        {
            var kitId = reader.GetString(0);
            var heartbeat = reader.IsDBNull(4) ? null : ContractReader.ReadHeartbeat(System.Text.Encoding.UTF8.GetBytes(reader.GetString(4)), kitId).Value;
            result.Add(new KitHealthSnapshot(kitId, SqliteTime.FromDb(reader, 1), SqliteTime.FromDb(reader, 2), reader.GetInt64(3) != 0, heartbeat));
        }

        return result;
    }
}
