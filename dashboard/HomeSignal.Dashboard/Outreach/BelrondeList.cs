using HomeSignal.Dashboard.Hub;

namespace HomeSignal.Dashboard.Outreach;

public sealed record BelrondeLine(OutreachTask Task, string Name, string? Phone, string Reason, string Question);

public sealed record BelrondeDay(DateOnly Day, bool Ready, TimeOnly ReadyAt, TimeOnly RoundStartsAt, IReadOnlyList<BelrondeLine> Lines, bool HubUnavailable);

/// <summary>
/// Today's belronde: ranked (urgency first, then how many signals, then oldest), each line with name, phone, a neutral
/// reason and a suggested question. A vrijwilliger gets only their own lines.
/// </summary>
public sealed class BelrondeList(TaskStore tasks, HubClient hub, LocalClock clock)
{
    // The last names and phone numbers seen, so the round can go on while the hub is briefly unreachable.
    private volatile IReadOnlyDictionary<string, HubResident> lastResidents = new Dictionary<string, HubResident>();

    public async Task<BelrondeDay> ForAsync(string? owner, CancellationToken ct = default)
    {
        var day = clock.Today;
        var calls = tasks.ForDay(TaskKinds.BelrondeCall, day).Where(t => owner is null || t.Owner == owner).ToList();
        var unavailable = false;
        IReadOnlyDictionary<string, HubResident> residents;
        try
        {
            residents = lastResidents = (await hub.ResidentsAsync(ct)).ToDictionary(r => r.ResidentId);
        }
        catch (HubUnavailableException)
        {
            residents = lastResidents;
            unavailable = true;
        }

        var lines = calls
            .Select(t => (Task: t, Signals: tasks.Signals(t.Id)))
            .OrderBy(x => TaskStatuses.IsActive(x.Task.Status) ? 0 : 1)
            .ThenByDescending(x => x.Task.Priority)
            .ThenByDescending(x => x.Signals.Count)
            .ThenBy(x => x.Task.CreatedAt)
            .Select(x =>
            {
                residents.TryGetValue(x.Task.ResidentId, out var resident);
                // Several signals: the reasons joined, so the caller knows everything the list knows.
                var reason = x.Signals.Count > 1 ? string.Join(" ", x.Signals.Select(s => s.Reason).Distinct()) : x.Task.Reason;
                return new BelrondeLine(x.Task, resident?.DisplayName ?? "(onbekende bewoner)", resident?.Phone, reason, x.Task.Question);
            })
            .ToList();
        return new BelrondeDay(day, clock.ListIsReady, clock.Belronde.ListReady, clock.Belronde.RoundStarts, lines, unavailable);
    }
}
