using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Sqlite;

namespace HomeSignal.Hub.Provisioning;

/// <summary>A kit's walk test as last saved: its state as JSON (see <see cref="WalkTestState"/>).</summary>
public sealed record StoredWalkTest(string KitId, string StateJson, DateTimeOffset UpdatedAt);

/// <summary>
/// Walk tests in the registry file (0600, WAL, synchronous=FULL), so a restarted hub continues the installer's walk
/// test where it was. Synchronous on purpose: it is written from the ingestion observer, which cannot await, and only
/// for kits being walk-tested.
/// </summary>
public sealed class WalkTestStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS walk_tests(
            kit_id TEXT PRIMARY KEY, state_json TEXT NOT NULL, updated_at INTEGER NOT NULL);
        """;

    private readonly SqliteDatabase _db;

    public WalkTestStore(RegistryDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database.Database;
        _db.EnsureSchema(Schema);
    }

    public IReadOnlyList<StoredWalkTest> LoadAll()
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kit_id, state_json, updated_at FROM walk_tests ORDER BY kit_id;";
        using var reader = command.ExecuteReader();
        var result = new List<StoredWalkTest>();
        while (reader.Read())
        {
            result.Add(new StoredWalkTest(reader.GetString(0), reader.GetString(1), SqliteTime.FromMs(reader.GetInt64(2))));
        }

        return result;
    }

    public void Save(string kitId, string stateJson, DateTimeOffset at) => _db.Write(command =>
    {
        command.CommandText = """
            INSERT INTO walk_tests(kit_id, state_json, updated_at) VALUES($k, $j, $at)
            ON CONFLICT(kit_id) DO UPDATE SET state_json=excluded.state_json, updated_at=excluded.updated_at;
            """;
        command.Parameters.AddWithValue("$k", kitId);
        command.Parameters.AddWithValue("$j", stateJson);
        command.Parameters.AddWithValue("$at", SqliteTime.ToMs(at));
        command.ExecuteNonQuery();
    });

    public void Delete(string kitId) => _db.Write(command =>
    {
        command.CommandText = "DELETE FROM walk_tests WHERE kit_id=$k;";
        command.Parameters.AddWithValue("$k", kitId);
        command.ExecuteNonQuery();
    });
}
