using System.Collections.Concurrent;

namespace HomeSignal.Dashboard.Audit;

/// <summary>
/// A page that refreshes itself every few seconds would write the same view to the audit log thousands of times a day.
/// Polls are audited once per user and item (per process); full page loads are always audited.
/// </summary>
public sealed class PollingViews
{
    private const int Limit = 50_000;
    private readonly ConcurrentDictionary<(string User, string Item), byte> seen = new();

    public bool FirstTime(string user, string item)
    {
        if (seen.Count > Limit)
        {
            // Bounded memory: forgetting only means an extra audit line, never a missing one.
            seen.Clear();
        }

        return seen.TryAdd((user, item), 0);
    }
}
