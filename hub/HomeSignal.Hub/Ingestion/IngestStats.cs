using System.Collections.Concurrent;

namespace HomeSignal.Hub.Ingestion;

/// <summary>Counters served on <c>/api/ingest/stats</c>: every rejection is counted by its stable reason code.</summary>
public sealed class IngestStats
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _received;
    private long _stored;
    private long _duplicates;
    private long _quarantined;
    private long _batches;

    public long Received => Interlocked.Read(ref _received);

    public long Stored => Interlocked.Read(ref _stored);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>Store transactions written: events per batch is what each durable commit's cost is spread over.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    public IReadOnlyDictionary<string, long> Rejected => new SortedDictionary<string, long>(_rejected, StringComparer.Ordinal);

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountStored(int count) => Interlocked.Add(ref _stored, count);

    public void CountDuplicates(int count) => Interlocked.Add(ref _duplicates, count);

    public void CountQuarantined(int count) => Interlocked.Add(ref _quarantined, count);

    public void CountBatch() => Interlocked.Increment(ref _batches);

    public void CountRejected(string code) => _rejected.AddOrUpdate(code, 1, (_, n) => n + 1);
}
