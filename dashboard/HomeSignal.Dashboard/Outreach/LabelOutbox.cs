using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Storage;

namespace HomeSignal.Dashboard.Outreach;

/// <summary>
/// Every recorded outcome goes back to detection as a label. Labels are stored first and then sent, so a hub that is
/// down loses none: the planner resends what is pending on each run.
/// </summary>
public sealed class LabelOutbox(DashboardDatabase database, HubClient hub, TimeProvider time, ILogger<LabelOutbox> logger)
{
    public void Enqueue(string residentId, string signalId, string outcome, string? note, string recordedBy)
    {
        using var connection = database.File.Open();
        using var command = connection.Command(
            "INSERT INTO labels (resident_id, signal_id, outcome, note, recorded_by, created_at) VALUES ($r, $s, $o, $n, $b, $c)",
            ("$r", residentId), ("$s", signalId), ("$o", outcome), ("$n", note), ("$b", recordedBy), ("$c", time.GetUtcNow().Iso()));
        command.ExecuteNonQuery();
    }

    public int PendingCount()
    {
        using var connection = database.File.Open();
        using var command = connection.Command("SELECT COUNT(*) FROM labels WHERE sent_at IS NULL");
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends pending labels, oldest first; stops at the first failure so order is kept. Returns how many were sent.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var pending = new List<(long Id, string Resident, HubLabel Label)>();
        using (var connection = database.File.Open())
        using (var command = connection.Command("SELECT id, resident_id, signal_id, outcome, note, recorded_by FROM labels WHERE sent_at IS NULL ORDER BY id LIMIT 100"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1),
                    new HubLabel(reader.GetString(2), reader.GetString(3), reader.NullableString(4), reader.GetString(5))));
            }
        }

        var sent = 0;
        foreach (var (id, resident, label) in pending)
        {
            try
            {
                await hub.PostLabelAsync(resident, label, ct);
                Mark(id, "sent_at = $v", time.GetUtcNow().Iso());
                sent++;
            }
            catch (HubUnavailableException e)
            {
                logger.LogWarning("Label for signal {SignalId} not sent yet: {Error}", label.SignalId, e.Message);
                Mark(id, "last_error = $v", e.Message);
                break;
            }
        }

        return sent;
    }

    private void Mark(long id, string set, string value)
    {
        using var connection = database.File.Open();
        using var command = connection.Command($"UPDATE labels SET {set} WHERE id = $id", ("$v", value), ("$id", id));
        command.ExecuteNonQuery();
    }
}
