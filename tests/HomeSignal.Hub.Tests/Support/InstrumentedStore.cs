using System.Collections.Concurrent;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>
/// The real store, watched and made to misbehave: it counts reads of raw events, and its disk can fail the first writes
/// (as a full or yanked SD card would) or stall chosen writes until the test lets them through (a stalled disk).
/// </summary>
internal sealed class InstrumentedStore(IEventStore inner, int failFirst = 0) : IEventStore
{
    private readonly ConcurrentDictionary<int, WriteGate> _gates = new();
    private int _attempts;
    private int _queries;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>How often raw events were read.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Stalls the given write attempt (1 is the first) until the returned gate is opened.</summary>
    public WriteGate Stall(int attempt) => _gates.GetOrAdd(attempt, _ => new WriteGate());

    public async Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<EventToStore> batch, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        if (attempt <= failFirst)
        {
            throw new IOException("disk I/O error");
        }

        if (_gates.TryGetValue(attempt, out var gate))
        {
            gate.Reached.TrySetResult();
            await gate.Opened.Task.WaitAsync(cancellationToken);
        }

        return await inner.StoreAsync(batch, cancellationToken);
    }

    public Task<IReadOnlyList<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queries);
        return inner.QueryEventsAsync(query, cancellationToken);
    }

    public Task SaveAggregatesAsync(string residentId, AggregateGranularity granularity, IReadOnlyList<ActivityAggregate> rows, CancellationToken cancellationToken) =>
        inner.SaveAggregatesAsync(residentId, granularity, rows, cancellationToken);

    public Task<IReadOnlyList<ActivityAggregate>> QueryAggregatesAsync(string residentId, AggregateGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        inner.QueryAggregatesAsync(residentId, granularity, from, to, cancellationToken);

    public Task<RetentionResult> ApplyRetentionAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken) => inner.ApplyRetentionAsync(cutoffs, cancellationToken);

    public Task DeleteResidentDataAsync(string residentId, IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken) =>
        inner.DeleteResidentDataAsync(residentId, kitIds, cancellationToken);
}

/// <summary>One stalled write: <see cref="Reached"/> when it starts waiting, let through by <see cref="Open"/>.</summary>
internal sealed class WriteGate
{
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => Opened.TrySetResult();
}
