namespace HomeSignal.Edge.Hub;

/// <summary>Exponential backoff with full jitter, so a neighbourhood of kits does not reconnect in lock-step after a broker restart.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalSeconds, initial.TotalSeconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        // Never below the initial delay: a dead broker must not be hammered.
        return TimeSpan.FromSeconds(initial.TotalSeconds + (random.NextDouble() * (ceiling - initial.TotalSeconds)));
    }

    public void Reset() => _attempt = 0;
}
