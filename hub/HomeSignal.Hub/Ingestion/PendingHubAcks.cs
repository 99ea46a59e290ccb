using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Hub.Ingestion;

/// <summary>
/// Per kit, what became durable and is not yet told to the kit. With many kits, each stored batch holds a few events of
/// hundreds of kits, so one HubAck per kit per batch would cost nearly one more message per event, through the broker
/// and back. Under sustained load a kit is therefore told at most once per interval, or sooner when enough of its
/// events wait (a kit sends only so many before it waits for acks). A kit that was not told anything within the
/// interval is told at once, and the caller asks for everything as soon as the hub has nothing more in hand, so light
/// load never waits. Waiting only delays the kit's release from its outbox: the events are durable already.
/// </summary>
public sealed class PendingHubAcks(TimeSpan interval, int flushAfterEvents)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KitAcks> _kits = new(StringComparer.Ordinal);
    private readonly List<KitAcks> _waiting = [];

    /// <summary>Kits with something not yet told.</summary>
    public int WaitingKits
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>When the first waiting kit is due; null when no kit waits.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                DateTimeOffset? first = null;
                foreach (var kit in _waiting)
                {
                    var due = Due(kit);
                    if (first is null || due < first)
                    {
                        first = due;
                    }
                }

                return first;
            }
        }
    }

    /// <summary>Records items whose events are durable (stored, duplicate or quarantined) or rejected.</summary>
    public void Add(IEnumerable<IngestItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_gate)
        {
            foreach (var item in items)
            {
                if (item.Event is null && item.Rejection is null)
                {
                    continue;
                }

                if (!_kits.TryGetValue(item.KitId, out var kit))
                {
                    kit = new KitAcks(item.KitId);
                    _kits.Add(item.KitId, kit);
                }

                if (kit.Count == 0)
                {
                    _waiting.Add(kit);
                }

                kit.Add(item);
            }
        }
    }

    /// <summary>
    /// Takes the HubAcks that are due at <paramref name="now"/>: kits not told within the interval, or with enough
    /// events waiting; with <paramref name="everything"/> (nothing more in hand, or shutting down) every waiting kit.
    /// </summary>
    public IReadOnlyList<HubAck> Take(DateTimeOffset now, bool everything)
    {
        lock (_gate)
        {
            var acks = new List<HubAck>();
            var kept = 0;
            for (var i = 0; i < _waiting.Count; i++)
            {
                var kit = _waiting[i];
                if (everything || kit.Count >= flushAfterEvents || Due(kit) <= now)
                {
                    acks.Add(kit.Take(now));
                }
                else
                {
                    _waiting[kept++] = kit;
                }
            }

            _waiting.RemoveRange(kept, _waiting.Count - kept);
            Forget(now);
            return acks;
        }
    }

    private DateTimeOffset Due(KitAcks kit) =>
        kit.LastTold == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : kit.LastTold + interval;

    /// <summary>A kit told longer than the interval ago with nothing waiting is the same as one never seen: drop it.</summary>
    private void Forget(DateTimeOffset now)
    {
        if (_kits.Count <= (2 * _waiting.Count) + 1024)
        {
            return;
        }

        foreach (var (kitId, kit) in _kits)
        {
            if (kit.Count == 0 && kit.LastTold + interval <= now)
            {
                _kits.Remove(kitId);
            }
        }
    }

    private sealed class KitAcks(string kitId)
    {
        private readonly Dictionary<string, List<long>> _boots = new(StringComparer.Ordinal);
        private readonly List<RejectedEvent> _rejected = [];

        public int Count { get; private set; }

        public DateTimeOffset LastTold { get; private set; } = DateTimeOffset.MinValue;

        public void Add(IngestItem item)
        {
            if (item.Event is { } e)
            {
                if (!_boots.TryGetValue(e.Event.BootId, out var seqs))
                {
                    seqs = [];
                    _boots.Add(e.Event.BootId, seqs);
                }

                seqs.Add(e.Event.Seq);
            }

            if (item.Rejection is { } rejection)
            {
                _rejected.Add(rejection);
            }

            Count++;
        }

        public HubAck Take(DateTimeOffset now)
        {
            var stored = new List<SeqRange>();
            foreach (var (bootId, seqs) in _boots)
            {
                if (seqs.Count > 0)
                {
                    AddRanges(stored, bootId, seqs);
                    seqs.Clear();
                }
            }

            if (_boots.Count > 1)
            {
                // A kit rarely has more than one boot in flight; don't keep old boots' lists around.
                _boots.Clear();
            }

            var ack = new HubAck { KitId = kitId, Ts = now, Stored = stored, Rejected = [.. _rejected] };
            _rejected.Clear();
            Count = 0;
            LastTold = now;
            return ack;
        }

        private static void AddRanges(List<SeqRange> ranges, string bootId, List<long> seqs)
        {
            seqs.Sort();
            var from = seqs[0];
            var to = from;
            for (var i = 1; i < seqs.Count; i++)
            {
                var seq = seqs[i];
                if (seq <= to + 1)
                {
                    // Consecutive, or the same event twice (a redelivery): one range either way.
                    to = Math.Max(to, seq);
                }
                else
                {
                    ranges.Add(new SeqRange(bootId, from, to));
                    from = to = seq;
                }
            }

            ranges.Add(new SeqRange(bootId, from, to));
        }
    }
}
