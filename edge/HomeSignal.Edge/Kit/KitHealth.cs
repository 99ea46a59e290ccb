namespace HomeSignal.Edge.Kit;

/// <summary>The problems the kit knows of right now (see <see cref="HomeSignal.Contracts.Payloads.HealthFlags"/>); reported in every heartbeat.</summary>
public sealed class KitHealth
{
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _flags = new(StringComparer.Ordinal);

    /// <summary>Sets a flag; returns true when it was not set before.</summary>
    public bool Set(string flag)
    {
        lock (_gate)
        {
            return _flags.Add(flag);
        }
    }

    public bool Clear(string flag)
    {
        lock (_gate)
        {
            return _flags.Remove(flag);
        }
    }

    public bool Has(string flag)
    {
        lock (_gate)
        {
            return _flags.Contains(flag);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _flags];
        }
    }
}
