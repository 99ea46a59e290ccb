using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Aggregation;
using HomeSignal.Hub.Registry;

namespace HomeSignal.Hub.Storage;

/// <summary>
/// Writes history straight into the event store (the demo's weeks of simulated events, or an import), then recomputes
/// the aggregates of the residents concerned. Events are stored as received at their own time; duplicates are skipped.
/// </summary>
public sealed class EventBackfill(IEventStore store, AggregationService aggregation, KitRegistry kits)
{
    public async Task<int> BackfillAsync(IEnumerable<SensorEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var stored = 0;
        var range = new Dictionary<string, (DateTimeOffset From, DateTimeOffset To)>(StringComparer.Ordinal);
        foreach (var chunk in events.Chunk(5000))
        {
            var outcomes = await store.StoreAsync([.. chunk.Select(e => new EventToStore(e, e.Ts))], cancellationToken);
            stored += outcomes.Count(o => o == StoreOutcome.Stored);
            foreach (var e in chunk)
            {
                range[e.KitId] = range.TryGetValue(e.KitId, out var r)
                    ? (e.Ts < r.From ? e.Ts : r.From, e.Ts > r.To ? e.Ts : r.To)
                    : (e.Ts, e.Ts);
            }
        }

        foreach (var (kitId, (from, to)) in range)
        {
            if (kits.Find(kitId)?.ResidentId is { } residentId)
            {
                await aggregation.RecomputeAsync(residentId, aggregation.Aggregator.LocalDay(from), aggregation.Aggregator.LocalDay(to), cancellationToken);
            }
        }

        return stored;
    }
}
