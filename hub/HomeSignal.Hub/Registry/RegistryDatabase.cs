using HomeSignal.Hub.Storage.Sqlite;

namespace HomeSignal.Hub.Registry;

/// <summary>
/// The registry file: residents (personal details), consent, kits and their sensors, labels, context periods, signals
/// and the latest kit health. Separate from the event store file, so event data never sits next to names and phones.
/// </summary>
public sealed class RegistryDatabase
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS residents(
            resident_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, phone TEXT NULL,
            created_at INTEGER NOT NULL, monitoring_since INTEGER NULL);
        CREATE TABLE IF NOT EXISTS consent(
            resident_id TEXT PRIMARY KEY REFERENCES residents(resident_id) ON DELETE CASCADE,
            monitoring INTEGER NOT NULL, share_with_nurse INTEGER NOT NULL, belronde INTEGER NOT NULL,
            recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS kits(
            kit_id TEXT PRIMARY KEY, resident_id TEXT NULL REFERENCES residents(resident_id) ON DELETE SET NULL,
            username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER NULL);
        CREATE TABLE IF NOT EXISTS sensors(
            kit_id TEXT NOT NULL REFERENCES kits(kit_id) ON DELETE CASCADE, sensor_id TEXT NOT NULL,
            kind TEXT NOT NULL, room TEXT NULL, purpose TEXT NULL, PRIMARY KEY(kit_id, sensor_id));
        CREATE TABLE IF NOT EXISTS kit_health(
            kit_id TEXT PRIMARY KEY, last_seen INTEGER NULL, last_heartbeat INTEGER NULL, offline INTEGER NOT NULL,
            heartbeat_json TEXT NULL);
        CREATE TABLE IF NOT EXISTS labels(
            id INTEGER PRIMARY KEY AUTOINCREMENT, resident_id TEXT NOT NULL REFERENCES residents(resident_id) ON DELETE CASCADE,
            signal_id TEXT NOT NULL, outcome TEXT NOT NULL, note TEXT NULL, recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS context_periods(
            id INTEGER PRIMARY KEY AUTOINCREMENT, resident_id TEXT NOT NULL REFERENCES residents(resident_id) ON DELETE CASCADE,
            kind TEXT NOT NULL, from_ts INTEGER NOT NULL, to_ts INTEGER NULL, note TEXT NULL, inferred INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS signals(
            signal_id TEXT PRIMARY KEY, resident_id TEXT NULL, kit_id TEXT NULL, kind TEXT NOT NULL, layer TEXT NOT NULL,
            severity TEXT NOT NULL, raised_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, resolved_at INTEGER NULL,
            body_json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_signals_updated ON signals(updated_at);
        CREATE INDEX IF NOT EXISTS ix_signals_resident ON signals(resident_id, raised_at);
        """;

    public RegistryDatabase(string path) => Database = new SqliteDatabase(path, Schema);

    public SqliteDatabase Database { get; }
}
