using System.Globalization;
using System.Text.Json;
using HomeSignal.Dashboard.Storage;
using Microsoft.Data.Sqlite;

namespace HomeSignal.Dashboard.Outreach;

/// <summary>Tasks, their evidence (linked signals), their log (events and notes) and labels waiting to go to the hub.</summary>
public sealed class TaskStore(DashboardDatabase database)
{
    private const string Columns = """
        id, resident_id, kind, status, owner, owner_role, priority, by_choice, title, reason, question, due_date, created_at,
        assigned_at, picked_up_at, outcome, outcome_reason, outcome_at, outcome_by, closed_at, from_task_id, notified_at
        """;

    public long Insert(OutreachTask task, TaskSignal? signal, string actor)
    {
        using var connection = database.File.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.Command(
            """
            INSERT INTO tasks (resident_id, kind, status, owner, owner_role, priority, by_choice, title, reason, question, due_date,
                created_at, assigned_at, from_task_id)
            VALUES ($r, $k, $s, $o, $or, $p, $c, $t, $re, $q, $d, $ca, $ca, $f) RETURNING id
            """,
            ("$r", task.ResidentId), ("$k", task.Kind), ("$s", task.Status), ("$o", task.Owner), ("$or", task.OwnerRole),
            ("$p", task.Priority), ("$c", task.ByChoice ? 1 : 0), ("$t", task.Title), ("$re", task.Reason), ("$q", task.Question),
            ("$d", task.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("$ca", task.CreatedAt.Iso()), ("$f", task.FromTaskId));
        insert.Transaction = transaction;
        var id = (long)insert.ExecuteScalar()!;
        if (signal is not null)
        {
            AddSignal(connection, transaction, id, signal);
        }

        Log(connection, transaction, id, task.CreatedAt, actor, "systeem", "event", $"Taak aangemaakt: {task.Title}");
        transaction.Commit();
        return id;
    }

    public OutreachTask? Get(long id) => Query($"SELECT {Columns} FROM tasks WHERE id = $id", ("$id", id)).FirstOrDefault();

    public OutreachTask? FindActive(string residentId, string kind) => Query(
        $"SELECT {Columns} FROM tasks WHERE resident_id = $r AND kind = $k AND status IN ('open', 'picked-up') ORDER BY id LIMIT 1",
        ("$r", residentId), ("$k", kind)).FirstOrDefault();

    public IReadOnlyList<OutreachTask> List(string? kind = null, string? owner = null, string? residentId = null, bool activeOnly = false, int limit = 500) => Query(
        $"""
        SELECT {Columns} FROM tasks WHERE ($k IS NULL OR kind = $k) AND ($o IS NULL OR owner = $o) AND ($r IS NULL OR resident_id = $r)
          AND ($a = 0 OR status IN ('open', 'picked-up'))
        ORDER BY id DESC LIMIT $l
        """,
        ("$k", kind), ("$o", owner), ("$r", residentId), ("$a", activeOnly ? 1 : 0), ("$l", limit));

    public IReadOnlyList<OutreachTask> ForDay(string kind, DateOnly day) => Query(
        $"""
        SELECT {Columns} FROM tasks WHERE kind = $k AND (
            (status IN ('open', 'picked-up') AND due_date <= $d) OR (due_date = $d) OR (substr(outcome_at, 1, 10) = $d))
        ORDER BY id
        """,
        ("$k", kind), ("$d", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    public int ActiveCount(string owner)
    {
        using var connection = database.File.Open();
        using var command = connection.Command("SELECT COUNT(*) FROM tasks WHERE owner = $o AND status IN ('open', 'picked-up')", ("$o", owner));
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The task a signal already belongs to, if any (intake is idempotent per signal).</summary>
    public long? TaskOfSignal(string signalId)
    {
        using var connection = database.File.Open();
        using var command = connection.Command("SELECT task_id FROM task_signals WHERE signal_id = $s ORDER BY task_id DESC LIMIT 1", ("$s", signalId));
        return command.ExecuteScalar() is long id ? id : null;
    }

    public void AttachSignal(long taskId, TaskSignal signal, int priority, DateTimeOffset at)
    {
        using var connection = database.File.Open();
        using var transaction = connection.BeginTransaction();
        AddSignal(connection, transaction, taskId, signal);
        using var raise = connection.Command("UPDATE tasks SET priority = MAX(priority, $p) WHERE id = $id", ("$p", priority), ("$id", taskId));
        raise.Transaction = transaction;
        raise.ExecuteNonQuery();
        Log(connection, transaction, taskId, at, "systeem", "systeem", "event", $"Extra signaal toegevoegd: {signal.Title}");
        transaction.Commit();
    }

    public void UpdateSignalText(long taskId, TaskSignal signal)
    {
        using var connection = database.File.Open();
        using var command = connection.Command(
            "UPDATE task_signals SET title = $t, reason = $r, question = $q, evidence = $e, severity = $s WHERE task_id = $id AND signal_id = $sid",
            ("$t", signal.Title), ("$r", signal.Reason), ("$q", signal.Question), ("$e", JsonSerializer.Serialize(signal.Evidence)),
            ("$s", signal.Severity), ("$id", taskId), ("$sid", signal.SignalId));
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<TaskSignal> Signals(long taskId)
    {
        using var connection = database.File.Open();
        using var command = connection.Command(
            "SELECT signal_id, kind, severity, title, reason, question, raised_at, evidence FROM task_signals WHERE task_id = $id ORDER BY raised_at",
            ("$id", taskId));
        using var reader = command.ExecuteReader();
        var signals = new List<TaskSignal>();
        while (reader.Read())
        {
            signals.Add(new TaskSignal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.Time(6), JsonSerializer.Deserialize<List<string>>(reader.GetString(7)) ?? []));
        }

        return signals;
    }

    /// <summary>Applies a change to one task's columns and logs it, in one transaction.</summary>
    public void Update(long taskId, string set, (string, object?)[] parameters, DateTimeOffset at, string actor, string actorRole, string logText)
    {
        using var connection = database.File.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.Command($"UPDATE tasks SET {set} WHERE id = $id", [.. parameters, ("$id", taskId)]);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
        Log(connection, transaction, taskId, at, actor, actorRole, "event", logText);
        transaction.Commit();
    }

    public void AddNote(long taskId, DateTimeOffset at, string actor, string actorRole, string text)
    {
        using var connection = database.File.Open();
        using var transaction = connection.BeginTransaction();
        Log(connection, transaction, taskId, at, actor, actorRole, "note", text);
        transaction.Commit();
    }

    public IReadOnlyList<TaskLogEntry> LogOf(long taskId)
    {
        using var connection = database.File.Open();
        using var command = connection.Command("SELECT at, actor, actor_role, kind, text FROM task_log WHERE task_id = $id ORDER BY id", ("$id", taskId));
        using var reader = command.ExecuteReader();
        var entries = new List<TaskLogEntry>();
        while (reader.Read())
        {
            entries.Add(new TaskLogEntry(reader.Time(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return entries;
    }

    private static void AddSignal(SqliteConnection connection, SqliteTransaction transaction, long taskId, TaskSignal signal)
    {
        using var command = connection.Command(
            """
            INSERT OR IGNORE INTO task_signals (task_id, signal_id, kind, severity, title, reason, question, raised_at, evidence)
            VALUES ($id, $s, $k, $sev, $t, $r, $q, $at, $e)
            """,
            ("$id", taskId), ("$s", signal.SignalId), ("$k", signal.Kind), ("$sev", signal.Severity), ("$t", signal.Title),
            ("$r", signal.Reason), ("$q", signal.Question), ("$at", signal.RaisedAt.Iso()), ("$e", JsonSerializer.Serialize(signal.Evidence)));
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static void Log(SqliteConnection connection, SqliteTransaction transaction, long taskId, DateTimeOffset at, string actor, string role, string kind, string text)
    {
        using var command = connection.Command(
            "INSERT INTO task_log (task_id, at, actor, actor_role, kind, text) VALUES ($id, $at, $a, $r, $k, $t)",
            ("$id", taskId), ("$at", at.Iso()), ("$a", actor), ("$r", role), ("$k", kind), ("$t", text));
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private List<OutreachTask> Query(string sql, params (string, object?)[] parameters)
    {
        using var connection = database.File.Open();
        using var command = connection.Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var tasks = new List<OutreachTask>();
        while (reader.Read())
        {
            tasks.Add(new OutreachTask
            {
                Id = reader.GetInt64(0), ResidentId = reader.GetString(1), Kind = reader.GetString(2), Status = reader.GetString(3),
                Owner = reader.NullableString(4), OwnerRole = reader.GetString(5), Priority = reader.GetInt32(6), ByChoice = reader.GetInt64(7) == 1,
                Title = reader.GetString(8), Reason = reader.GetString(9), Question = reader.GetString(10),
                DueDate = DateOnly.ParseExact(reader.GetString(11), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                CreatedAt = reader.Time(12), AssignedAt = reader.Time(13), PickedUpAt = reader.NullableTime(14), Outcome = reader.NullableString(15),
                OutcomeReason = reader.NullableString(16), OutcomeAt = reader.NullableTime(17), OutcomeBy = reader.NullableString(18),
                ClosedAt = reader.NullableTime(19), FromTaskId = reader.IsDBNull(20) ? null : reader.GetInt64(20), NotifiedAt = reader.NullableTime(21),
            });
        }

        return tasks;
    }
}
