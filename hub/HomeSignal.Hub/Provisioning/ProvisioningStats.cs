namespace HomeSignal.Hub.Provisioning;

/// <summary>Counts of what the claim exchange refused and what the sweep cleaned up since the hub started.</summary>
public sealed class ProvisioningStats
{
    private long _refusedHubFull;
    private long _refusedSourceLimit;
    private long _expiredClaimsDeleted;
    private long _uncollectedRevoked;

    /// <summary>New codes refused because <see cref="ProvisioningOptions.MaxWaitingClaims"/> claims were waiting.</summary>
    public long RefusedHubFull => Interlocked.Read(ref _refusedHubFull);

    /// <summary>New codes refused because their source address reported too many within the window.</summary>
    public long RefusedSourceLimit => Interlocked.Read(ref _refusedSourceLimit);

    public long ExpiredClaimsDeleted => Interlocked.Read(ref _expiredClaimsDeleted);

    /// <summary>Enrolled kits revoked because they never collected their credentials.</summary>
    public long UncollectedRevoked => Interlocked.Read(ref _uncollectedRevoked);

    /// <summary>Counts a refusal; returns the new total (callers log the 1st and every 100th, not each of a flood).</summary>
    public long CountRefusedHubFull() => Interlocked.Increment(ref _refusedHubFull);

    /// <inheritdoc cref="CountRefusedHubFull"/>
    public long CountRefusedSourceLimit() => Interlocked.Increment(ref _refusedSourceLimit);

    /// <summary>Whether the <paramref name="total"/>-th refusal is logged: the first and every 100th.</summary>
    public static bool IsLogged(long total) => total % 100 == 1;

    public void CountExpiredClaimsDeleted(int count) => Interlocked.Add(ref _expiredClaimsDeleted, count);

    public void CountUncollectedRevoked() => Interlocked.Increment(ref _uncollectedRevoked);
}
