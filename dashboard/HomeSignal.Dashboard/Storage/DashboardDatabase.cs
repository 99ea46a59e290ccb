using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Storage;

/// <summary>The dashboard's own SQLite file: users, caseloads, tasks, their evidence, notes and pending labels.</summary>
public sealed class DashboardDatabase
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS users (
            username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, email TEXT,
            password_hash TEXT NOT NULL, created_at TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE IF NOT EXISTS caseload (
            resident_id TEXT NOT NULL, role TEXT NOT NULL, username TEXT NOT NULL, PRIMARY KEY (resident_id, role));
        CREATE TABLE IF NOT EXISTS daily_round (
            resident_id TEXT PRIMARY KEY, reason TEXT NOT NULL, added_by TEXT NOT NULL, added_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tasks (
            id INTEGER PRIMARY KEY AUTOINCREMENT, resident_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
            owner TEXT, owner_role TEXT NOT NULL, priority INTEGER NOT NULL, by_choice INTEGER NOT NULL DEFAULT 0,
            title TEXT NOT NULL, reason TEXT NOT NULL, question TEXT NOT NULL, due_date TEXT NOT NULL,
            created_at TEXT NOT NULL, assigned_at TEXT NOT NULL, picked_up_at TEXT, outcome TEXT, outcome_reason TEXT,
            outcome_at TEXT, outcome_by TEXT, closed_at TEXT, from_task_id INTEGER, notified_at TEXT);
        CREATE INDEX IF NOT EXISTS tasks_active ON tasks (resident_id, kind, status);
        CREATE TABLE IF NOT EXISTS task_signals (
            task_id INTEGER NOT NULL REFERENCES tasks(id), signal_id TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL,
            title TEXT NOT NULL, reason TEXT NOT NULL, question TEXT NOT NULL, raised_at TEXT NOT NULL, evidence TEXT NOT NULL,
            PRIMARY KEY (task_id, signal_id));
        CREATE INDEX IF NOT EXISTS task_signals_signal ON task_signals (signal_id);
        CREATE TABLE IF NOT EXISTS task_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT, task_id INTEGER NOT NULL REFERENCES tasks(id), at TEXT NOT NULL,
            actor TEXT NOT NULL, actor_role TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS labels (
            id INTEGER PRIMARY KEY AUTOINCREMENT, resident_id TEXT NOT NULL, signal_id TEXT NOT NULL, outcome TEXT NOT NULL,
            note TEXT, recorded_by TEXT NOT NULL, created_at TEXT NOT NULL, sent_at TEXT, last_error TEXT);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """;

    public DashboardDatabase(IOptions<DashboardOptions> options)
    {
        File = new SqliteFile(Path.Combine(options.Value.DataPath, "dashboard.db"), Schema);
    }

    public SqliteFile File { get; }

    public string? GetMeta(string key)
    {
        using var connection = File.Open();
        using var command = connection.Command("SELECT value FROM meta WHERE key = $k", ("$k", key));
        return command.ExecuteScalar() as string;
    }

    public void SetMeta(string key, string value)
    {
        using var connection = File.Open();
        using var command = connection.Command(
            "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", ("$k", key), ("$v", value));
        command.ExecuteNonQuery();
    }
}
