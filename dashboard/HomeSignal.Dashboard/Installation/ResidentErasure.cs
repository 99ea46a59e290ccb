using HomeSignal.Dashboard.Storage;

namespace HomeSignal.Dashboard.Installation;

/// <summary>
/// Decommissioning, the dashboard's part: after the hub deleted a resident's data, the dashboard deletes its own copies —
/// tasks with their evidence and notes, labels waiting to be sent, caseload and daily-round entries — in one transaction.
/// </summary>
/// <remarks>
/// The audit log (audit.db) is kept on purpose: it names residents only by their pseudonymous id, which means nothing
/// once the hub's registry entry (name, phone) is gone, and the AVG's accountability duty requires being able to show
/// who did what, including this deletion. Its hash chain also makes removing entries visible as tampering.
/// </remarks>
public sealed class ResidentErasure(DashboardDatabase database)
{
    /// <summary>Deletes everything the dashboard holds about the resident; returns how many rows went.</summary>
    public int Erase(string residentId)
    {
        using var connection = database.File.Open();
        using var transaction = connection.BeginTransaction();
        var removed = 0;
        foreach (var sql in new[]
        {
            "DELETE FROM task_signals WHERE task_id IN (SELECT id FROM tasks WHERE resident_id = $r)",
            "DELETE FROM task_log WHERE task_id IN (SELECT id FROM tasks WHERE resident_id = $r)",
            // Tasks made from another task of the same resident point at it; clear the link before deleting.
            "UPDATE tasks SET from_task_id = NULL WHERE resident_id = $r",
            "DELETE FROM tasks WHERE resident_id = $r",
            "DELETE FROM labels WHERE resident_id = $r",
            "DELETE FROM caseload WHERE resident_id = $r",
            "DELETE FROM daily_round WHERE resident_id = $r",
        })
        {
            using var command = connection.Command(sql, ("$r", residentId));
            command.Transaction = transaction;
            var rows = command.ExecuteNonQuery();
            removed += sql.StartsWith("UPDATE", StringComparison.Ordinal) ? 0 : rows;
        }

        transaction.Commit();
        return removed;
    }

    /// <summary>How many rows of any table still mention the resident (for tests and the confirmation message).</summary>
    public int Remaining(string residentId)
    {
        using var connection = database.File.Open();
        using var command = connection.Command(
            """
            SELECT (SELECT COUNT(*) FROM tasks WHERE resident_id = $r) + (SELECT COUNT(*) FROM labels WHERE resident_id = $r)
                 + (SELECT COUNT(*) FROM caseload WHERE resident_id = $r) + (SELECT COUNT(*) FROM daily_round WHERE resident_id = $r)
            """, ("$r", residentId));
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
