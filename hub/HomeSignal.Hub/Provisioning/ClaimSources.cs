using System.Net;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Provisioning;

/// <summary>
/// How many new claim codes each source address reported within <see cref="ProvisioningOptions.NewClaimWindow"/>
/// (a sliding window on the injected clock). Only new codes count: polls of codes the hub knows are never limited
/// here, so kits behind one address (an installer's office) keep polling. Behind a reverse proxy every kit shares the
/// proxy's address; then the global <see cref="ProvisioningOptions.MaxWaitingClaims"/> is the limit that matters.
/// </summary>
public sealed class ClaimSources(IOptions<ProvisioningOptions> options, TimeProvider time)
{
    /// <summary>Above this many tracked addresses, addresses without a new code within the window are forgotten.</summary>
    private const int PruneAbove = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedList<DateTimeOffset>> _bySource = new(StringComparer.Ordinal);

    /// <summary>Takes one new-claim permit for <paramref name="source"/>; false when it used them all within the window.</summary>
    public bool TryAcquire(IPAddress? source)
    {
        var key = KeyOf(source);
        var now = time.GetUtcNow();
        var window = options.Value.NewClaimWindow;
        lock (_gate)
        {
            if (_bySource.Count > PruneAbove)
            {
                Prune(now, window);
            }

            if (!_bySource.TryGetValue(key, out var recent))
            {
                recent = new LinkedList<DateTimeOffset>();
                _bySource[key] = recent;
            }

            while (recent.First is { } oldest && now - oldest.Value >= window)
            {
                recent.RemoveFirst();
            }

            if (recent.Count >= options.Value.MaxNewClaimsPerSource)
            {
                return false;
            }

            recent.AddLast(now);
            return true;
        }
    }

    /// <summary>Gives a permit back: the code turned out to be known already, or the hub was full.</summary>
    public void Release(IPAddress? source)
    {
        var key = KeyOf(source);
        lock (_gate)
        {
            if (_bySource.TryGetValue(key, out var recent) && recent.Count > 0)
            {
                // Permits are interchangeable; dropping the newest keeps the list in time order.
                recent.RemoveLast();
            }
        }
    }

    /// <summary>When <paramref name="source"/> may report a new code again.</summary>
    public TimeSpan RetryAfter(IPAddress? source)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _bySource.TryGetValue(KeyOf(source), out var recent) && recent.First is { } oldest
                ? oldest.Value + options.Value.NewClaimWindow - now
                : TimeSpan.Zero;
        }
    }

    // IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d; one address, one key.
    private static string KeyOf(IPAddress? source) =>
        source is null ? "unknown" : (source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source).ToString();

    private void Prune(DateTimeOffset now, TimeSpan window)
    {
        foreach (var stale in _bySource.Where(p => p.Value.Count == 0 || now - p.Value.Last!.Value >= window).Select(p => p.Key).ToList())
        {
            _bySource.Remove(stale);
        }
    }
}
