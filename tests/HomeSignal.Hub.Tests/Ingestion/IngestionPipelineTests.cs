using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Tests.Ingestion;

public sealed class IngestionPipelineTests : IDisposable
{
    private readonly HubParts _parts = new();

    [Fact]
    public async Task Acks_go_out_only_after_the_batch_is_durable_even_when_the_first_write_fails()
    {
        var store = new FailingFirstWrites(_parts.Store, failures: 2);
        var pipeline = new IngestionPipeline(store, _parts.Health, _parts.Stats,
            Options.Create(new IngestionOptions { StoreRetryInterval = TimeSpan.FromMilliseconds(10) }), TimeProvider.System, NullLogger<IngestionPipeline>.Instance);
        var log = new List<string>();
        pipeline.AckSender = async (ack, ct) =>
        {
            // What the kit is told must already be on disk (read through a fresh connection).
            log.Add($"ack {ack.KitId} rows={await _parts.Store.CountEventsAsync(ct)}");
        };

        var batch = Enumerable.Range(1, 3).Select(seq => Item("kit-p", seq, log)).ToList();
        await pipeline.ProcessAsync(batch, CancellationToken.None);

        Assert.Equal(3, store.Attempts);
        Assert.Equal(["ack kit-p rows=3", "settle 1", "settle 2", "settle 3"], log);
    }

    [Fact]
    public void Acks_group_sequences_into_ranges_per_boot_and_carry_rejections()
    {
        var items = new[] { 1, 2, 3, 5, 7, 8 }.Select(seq => Item("kit-r", seq, [])).ToList();
        items.Add(new IngestItem("kit-r", null, new RejectedEvent(items[0].Event!.Event.BootId, 6, "invalid-state"), IngestItem.NothingToSettle));

        var ack = Assert.Single(IngestionPipeline.BuildAcks(items, DateTimeOffset.UnixEpoch));

        var boot = items[0].Event!.Event.BootId;
        Assert.Equal([new SeqRange(boot, 1, 3), new SeqRange(boot, 5, 5), new SeqRange(boot, 7, 8)], ack.Stored);
        Assert.Equal(6, Assert.Single(ack.Rejected).Seq);
    }

    public void Dispose() => _parts.Dispose();

    private static readonly string Boot = Guid.NewGuid().ToString("N");

    private static IngestItem Item(string kitId, long seq, List<string> log) => new(
        kitId,
        new EventToStore(new SensorEvent
        {
            KitId = kitId,
            BootId = Boot,
            Seq = seq,
            SensorId = "door-front",
            Kind = SensorKind.Door,
            State = SensorStates.Open,
            Ts = DateTimeOffset.UtcNow,
            ClockSynced = true,
        }, DateTimeOffset.UtcNow),
        null,
        _ =>
        {
            log.Add($"settle {seq}");
            return Task.CompletedTask;
        });

    /// <summary>The real SQLite store behind a disk that fails the first writes (as a full or yanked SD card would).</summary>
    private sealed class FailingFirstWrites(IEventStore inner, int failures) : IEventStore
    {
        public int Attempts { get; private set; }

        public Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<EventToStore> batch, CancellationToken cancellationToken)
        {
            Attempts++;
            return Attempts <= failures ? throw new IOException("disk I/O error") : inner.StoreAsync(batch, cancellationToken);
        }

        public Task<IReadOnlyList<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken) => inner.QueryEventsAsync(query, cancellationToken);

        public Task SaveAggregatesAsync(string residentId, AggregateGranularity granularity, IReadOnlyList<ActivityAggregate> rows, CancellationToken cancellationToken) =>
            inner.SaveAggregatesAsync(residentId, granularity, rows, cancellationToken);

        public Task<IReadOnlyList<ActivityAggregate>> QueryAggregatesAsync(string residentId, AggregateGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.QueryAggregatesAsync(residentId, granularity, from, to, cancellationToken);

        public Task<RetentionResult> ApplyRetentionAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken) => inner.ApplyRetentionAsync(cutoffs, cancellationToken);

        public Task DeleteResidentDataAsync(string residentId, IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken) =>
            inner.DeleteResidentDataAsync(residentId, kitIds, cancellationToken);
    }
}
