using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Aggregation;

/// <summary>Recomputes a resident's hourly and daily aggregates from raw events and saves them in the event store.</summary>
public sealed class AggregationService(IEventStore store, KitRegistry kits, IOptions<AggregationOptions> options)
{
    private readonly ActivityAggregator _aggregator = new(options.Value);

    public ActivityAggregator Aggregator => _aggregator;

    /// <summary>Recomputes the local days from <paramref name="firstDay"/> to <paramref name="lastDay"/> inclusive.</summary>
    public async Task RecomputeAsync(string residentId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var kitIds = kits.KitsOf(residentId).Select(k => k.KitId).ToList();
        if (kitIds.Count == 0 || lastDay < firstDay)
        {
            return;
        }

        var from = _aggregator.LocalMidnight(firstDay);
        var to = _aggregator.LocalMidnight(lastDay.AddDays(1));

        // A day earlier, so an outing that started before the window is seen whole.
        var events = await store.QueryEventsAsync(new EventQuery
        {
            KitIds = kitIds,
            From = from.AddDays(-1),
            To = to,
            Order = EventOrder.OldestFirst,
            Limit = int.MaxValue,
        }, cancellationToken);
        await store.SaveAggregatesAsync(residentId, AggregateGranularity.Hour, _aggregator.Hours(events, from, to), cancellationToken);
        await store.SaveAggregatesAsync(residentId, AggregateGranularity.Day, _aggregator.Days(events, firstDay, lastDay), cancellationToken);
    }
}
