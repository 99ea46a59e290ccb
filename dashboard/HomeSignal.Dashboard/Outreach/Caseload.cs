using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Storage;

namespace HomeSignal.Dashboard.Outreach;

public sealed record DailyRoundEntry(string ResidentId, string Reason, string AddedBy, DateTimeOffset AddedAt);

/// <summary>
/// Who is whose person (one named owner per resident and role) and who is on the daily belronde by choice, without any signal.
/// </summary>
public sealed class Caseload(DashboardDatabase database, UserStore users, TaskStore tasks, TimeProvider time)
{
    public void Assign(string residentId, string role, string username)
    {
        var user = users.Find(username) is { Active: true } found ? found : throw new ArgumentException($"Gebruiker '{username}' bestaat niet.", nameof(username));
        if (user.Role != role)
        {
            throw new ArgumentException($"Gebruiker '{username}' heeft niet de rol {Roles.Dutch(role)}.", nameof(username));
        }

        using var connection = database.File.Open();
        using var command = connection.Command(
            "INSERT INTO caseload (resident_id, role, username) VALUES ($r, $ro, $u) ON CONFLICT(resident_id, role) DO UPDATE SET username = excluded.username",
            ("$r", residentId), ("$ro", role), ("$u", user.Username));
        command.ExecuteNonQuery();
    }

    public string? Assigned(string residentId, string role)
    {
        using var connection = database.File.Open();
        using var command = connection.Command("SELECT username FROM caseload WHERE resident_id = $r AND role = $ro", ("$r", residentId), ("$ro", role));
        return command.ExecuteScalar() as string;
    }

    /// <summary>
    /// The resident's vast aanspreekpunt: the sociaal werker responsible for them, or null when nobody is, or the person
    /// recorded has left (deactivated): then the resident counts as not assigned, so a colleague can pick them up.
    /// </summary>
    public string? ContactOf(string residentId) =>
        Assigned(residentId, Roles.SociaalWerker) is { } username && users.Find(username) is { Active: true, Role: Roles.SociaalWerker } ? username : null;

    /// <summary>The residents whose person for <paramref name="role"/> is <paramref name="username"/>.</summary>
    public IReadOnlySet<string> ResidentsOf(string username, string role)
    {
        using var connection = database.File.Open();
        using var command = connection.Command("SELECT resident_id FROM caseload WHERE username = $u AND role = $ro", ("$u", username), ("$ro", role));
        using var reader = command.ExecuteReader();
        var residents = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            residents.Add(reader.GetString(0));
        }

        return residents;
    }

    /// <summary>
    /// The escalation chain for a role: the resident's own person first, then the others of that role by fewest open tasks.
    /// The owner of a new task is the first in the chain; null only when nobody holds the role.
    /// </summary>
    public IReadOnlyList<string> Chain(string residentId, string role)
    {
        var active = users.List(role).Where(u => u.Active).Select(u => u.Username).ToList();
        var assigned = Assigned(residentId, role);
        var others = active.Where(u => u != assigned).OrderBy(tasks.ActiveCount).ThenBy(u => u, StringComparer.Ordinal);
        return assigned is not null && active.Contains(assigned) ? [assigned, .. others] : [.. others];
    }

    public string? PickOwner(string residentId, string role) => Chain(residentId, role) is [var first, ..] ? first : null;

    public void AddToDailyRound(string residentId, string reason, string addedBy)
    {
        using var connection = database.File.Open();
        using var command = connection.Command(
            "INSERT INTO daily_round (resident_id, reason, added_by, added_at) VALUES ($r, $re, $a, $at) ON CONFLICT(resident_id) DO UPDATE SET reason = excluded.reason",
            ("$r", residentId), ("$re", string.IsNullOrWhiteSpace(reason) ? "Op eigen verzoek dagelijks gebeld" : reason.Trim()),
            ("$a", addedBy), ("$at", time.GetUtcNow().Iso()));
        command.ExecuteNonQuery();
    }

    public void RemoveFromDailyRound(string residentId)
    {
        using var connection = database.File.Open();
        using var command = connection.Command("DELETE FROM daily_round WHERE resident_id = $r", ("$r", residentId));
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<DailyRoundEntry> DailyRound()
    {
        using var connection = database.File.Open();
        using var command = connection.Command("SELECT resident_id, reason, added_by, added_at FROM daily_round ORDER BY resident_id");
        using var reader = command.ExecuteReader();
        var entries = new List<DailyRoundEntry>();
        while (reader.Read())
        {
            entries.Add(new DailyRoundEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.Time(3)));
        }

        return entries;
    }
}
