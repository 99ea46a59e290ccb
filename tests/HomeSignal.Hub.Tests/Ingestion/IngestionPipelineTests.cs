using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MQTTnet.Exceptions;

namespace HomeSignal.Hub.Tests.Ingestion;

public sealed class IngestionPipelineTests : IDisposable
{
    private readonly HubParts _parts = new();

    [Fact]
    public async Task Acks_go_out_only_after_the_batch_is_durable_even_when_the_first_write_fails()
    {
        var store = new InstrumentedStore(_parts.Store, failFirst: 2);
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
        // Broker acks first (they free the broker's in-flight window), then the kit's HubAck; both after the commit.
        Assert.Equal(["settle 1", "settle 2", "settle 3", "ack kit-p rows=3"], log);
    }

    [Fact]
    public async Task The_same_event_twice_in_one_batch_is_stored_once_and_both_copies_are_acknowledged()
    {
        var pipeline = Pipeline(_parts.Store);
        var acks = new List<HubAck>();
        pipeline.AckSender = (ack, _) =>
        {
            acks.Add(ack);
            return Task.CompletedTask;
        };
        var log = new List<string>();
        var batch = new[] { 1L, 2, 2, 3 }.Select(seq => Item("kit-d", seq, log)).ToList();

        await pipeline.ProcessAsync(batch, CancellationToken.None);

        Assert.Equal(3, await _parts.Store.CountEventsAsync(CancellationToken.None));
        Assert.Equal(1, _parts.Stats.Duplicates);
        Assert.Equal(3, _parts.Stats.Stored);
        Assert.Equal([new SeqRange(Boot, 1, 3)], Assert.Single(acks).Stored);
        Assert.Equal(["settle 1", "settle 2", "settle 2", "settle 3"], log);
    }

    [Fact]
    public async Task The_running_pipeline_acknowledges_every_event_only_after_its_own_commit()
    {
        // Writing and acknowledging overlap; each ack and each broker ack must still find its events on disk.
        var store = new InstrumentedStore(_parts.Store, failFirst: 1);
        var pipeline = Pipeline(store, new IngestionOptions { BatchSize = 7, StoreRetryInterval = TimeSpan.FromMilliseconds(10) });
        var problems = new List<string>();
        var acked = new HashSet<long>();
        var allAcked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pipeline.AckSender = async (ack, ct) =>
        {
            var onDisk = await StoredSeqsAsync(ct);
            lock (acked)
            {
                foreach (var range in ack.Stored)
                {
                    for (var seq = range.From; seq <= range.To; seq++)
                    {
                        if (!onDisk.Contains(seq))
                        {
                            problems.Add($"ack for {seq} before its commit");
                        }

                        acked.Add(seq);
                    }
                }

                if (acked.Count == 60)
                {
                    allAcked.TrySetResult();
                }
            }
        };

        using var cts = new CancellationTokenSource();
        var running = pipeline.RunAsync(cts.Token);
        for (var seq = 1; seq <= 60; seq++)
        {
            var n = seq;
            await pipeline.EnqueueAsync(Item("kit-o", n, async ct =>
            {
                if (!(await StoredSeqsAsync(ct)).Contains(n))
                {
                    lock (acked)
                    {
                        problems.Add($"broker ack for {n} before its commit");
                    }
                }
            }), CancellationToken.None);
        }

        await allAcked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await pipeline.DrainAsync(TimeSpan.FromSeconds(30)));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Empty(problems);
        Assert.Equal(0, pipeline.Pending);
        Assert.Equal(60, await _parts.Store.CountEventsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Drain_at_shutdown_waits_until_everything_taken_is_stored_and_settled_and_gives_up_after_its_bound()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new InstrumentedStore(_parts.Store);
        var stalled = store.Stall(1);
        var pipeline = Pipeline(store, time: time);
        var log = new List<string>();
        using var cts = new CancellationTokenSource();
        var running = pipeline.RunAsync(cts.Token);
        await pipeline.EnqueueAsync(Item("kit-s", 1, log), CancellationToken.None);
        await stalled.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The store hangs: the drain gives up after its bound, with the event still pending (not acknowledged).
        var first = pipeline.DrainAsync(TimeSpan.FromSeconds(5));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(await first.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, pipeline.Pending);
        Assert.Empty(log);

        // Once the write completes, a drain ends when the event is settled.
        var second = pipeline.DrainAsync(TimeSpan.FromMinutes(1));
        stalled.Open();
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["settle 1"], log);
        Assert.Equal(0, pipeline.Pending);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task Under_sustained_load_the_writer_lets_events_gather_before_the_next_commit_and_light_load_never_waits()
    {
        var time = new TimerWatchingTime(DateTimeOffset.UtcNow);
        var options = new IngestionOptions { CommitLinger = TimeSpan.FromSeconds(1), CommitLingerAfter = 3 };
        var log = new List<string>();
        using var cts = new CancellationTokenSource();

        // Light load: each lone event is stored at once (no time passes on the fake clock).
        var light = Pipeline(_parts.Store, options, time);
        var lightRunning = light.RunAsync(cts.Token);
        await light.EnqueueAsync(Item("kit-l", 1, log), CancellationToken.None);
        await WaitForStoredAsync(1);
        await light.EnqueueAsync(Item("kit-l", 2, log), CancellationToken.None);
        await WaitForStoredAsync(2);

        // A first batch of three means sustained load: the next events wait for the linger, then go in one commit.
        var busy = Pipeline(_parts.Store, options, time);
        foreach (var seq in new long[] { 1, 2, 3 })
        {
            await busy.EnqueueAsync(Item("kit-m", seq, log), CancellationToken.None);
        }

        var busyRunning = busy.RunAsync(cts.Token);
        await WaitForStoredAsync(5);
        var batches = _parts.Stats.Batches;
        await busy.EnqueueAsync(Item("kit-m", 4, log), CancellationToken.None);
        await busy.EnqueueAsync(Item("kit-m", 5, log), CancellationToken.None);

        // The writer is now lingering (its delay's timer exists), so nothing more is committed until the clock moves.
        await time.TimerCreated(options.CommitLinger).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(5, _parts.Stats.Stored);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForStoredAsync(7);
        Assert.Equal(batches + 1, _parts.Stats.Batches);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lightRunning);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => busyRunning);
    }

    [Fact]
    public async Task Under_load_a_kit_is_told_once_per_ack_interval_also_while_the_store_stalls_and_at_once_when_the_hub_is_idle()
    {
        var time = new TimerWatchingTime(DateTimeOffset.UtcNow);
        var options = new IngestionOptions { BatchSize = 1, CommitLinger = TimeSpan.Zero, AckInterval = TimeSpan.FromSeconds(1) };
        var store = new InstrumentedStore(_parts.Store);
        var second = store.Stall(2);
        var third = store.Stall(3);
        var pipeline = Pipeline(store, options, time);
        var told = new List<SeqRange>();
        pipeline.AckSender = (ack, _) =>
        {
            lock (told)
            {
                told.AddRange(ack.Stored);
            }

            return Task.CompletedTask;
        };
        SeqRange[] Told()
        {
            lock (told)
            {
                return [.. told];
            }
        }

        foreach (var seq in new long[] { 1, 2, 3 })
        {
            await pipeline.EnqueueAsync(Item("kit-t", seq, []), CancellationToken.None);
        }

        using var cts = new CancellationTokenSource();
        var running = pipeline.RunAsync(cts.Token);

        // A kit not told recently is told at once, even with more in hand.
        await Eventually.TrueAsync(() => Told().Length == 1, "event 1 is acknowledged");
        Assert.Equal([new SeqRange(Boot, 1, 1)], Told());

        // Event 2 is stored with event 3 still in hand and the kit told just now: it waits for the interval, and the
        // interval is kept although the store stalls on event 3 (no new batch comes to send it with).
        second.Open();
        await third.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await time.TimerCreated(options.AckInterval).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(Told());
        time.Advance(options.AckInterval);
        await Eventually.TrueAsync(() => Told().Length == 2, "event 2 is acknowledged after the interval");
        Assert.Equal(new SeqRange(Boot, 2, 2), Told()[1]);

        // Event 3 is the last in hand: the kit is told at once, although it was told less than an interval ago.
        third.Open();
        await Eventually.TrueAsync(() => Told().Length == 3, "event 3 is acknowledged at once");
        Assert.Equal(new SeqRange(Boot, 3, 3), Told()[2]);
        Assert.Equal(0, pipeline.Pending);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task A_stored_batch_leaves_in_one_write_even_when_a_hub_ack_fails_on_a_bug()
    {
        var connection = new RecordingStream();
        await using var stream = new CoalescingStream(connection);
        var pipeline = Pipeline(_parts.Store);
        pipeline.BeginWriteBatch = stream.BeginBatch;
        pipeline.AckSender = async (ack, ct) =>
        {
            await stream.WriteAsync(new byte[] { 0xA0 }, ct);
            throw new InvalidCastException("a bug");
        };
        IngestItem Writing(long seq) => Item("kit-w", seq, ct => stream.WriteAsync(new[] { (byte)seq }, ct).AsTask());

        await pipeline.ProcessAsync([Writing(1), Writing(2), Writing(3)], CancellationToken.None);
        await stream.WriteAsync(new byte[] { 0xFF });

        // Three broker acks and the HubAck in one write; later writes are not held back by a batch left open.
        Assert.Equal([[1, 2, 3, 0xA0], [0xFF]], connection.Writes);
    }

    [Fact]
    public async Task Acks_lost_with_the_connection_at_shutdown_are_one_information_line_without_a_stack_trace()
    {
        var logger = new RecordingLogger();
        var pipeline = Pipeline(_parts.Store, logger: logger);
        pipeline.AckSender = (_, _) => Task.FromException(new MqttCommunicationException("The MQTT client is disconnected."));
        Assert.True(await pipeline.DrainAsync(TimeSpan.FromSeconds(1)));

        await pipeline.ProcessAsync([Item("kit-x", 1, _ => Task.FromException(new MqttCommunicationException("gone"))), Item("kit-y", 1, [])], CancellationToken.None);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Null(entry.Exception);
        Assert.Contains("Shutting down", entry.Message, StringComparison.Ordinal);
        Assert.Equal(2, await _parts.Store.CountEventsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_broker_ack_lost_with_the_connection_does_not_stop_the_other_acks()
    {
        var logger = new RecordingLogger();
        var pipeline = Pipeline(_parts.Store, logger: logger);
        var sent = new List<HubAck>();
        pipeline.AckSender = (ack, _) =>
        {
            sent.Add(ack);
            return Task.CompletedTask;
        };
        var log = new List<string>();
        var items = new List<IngestItem> { Item("kit-c", 1, _ => throw new MqttCommunicationException("The MQTT client is disconnected.")), Item("kit-c", 2, log) };

        await pipeline.ProcessAsync(items, CancellationToken.None);

        Assert.Equal(["settle 2"], log);
        Assert.Equal([new SeqRange(Boot, 1, 2)], Assert.Single(sent).Stored);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Null(entry.Exception);
        Assert.Contains("1 of 2 broker acks", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acks_that_fail_while_running_are_warned_about_and_unexpected_failures_keep_their_stack_trace()
    {
        var logger = new RecordingLogger();
        var pipeline = Pipeline(_parts.Store, logger: logger);
        pipeline.AckSender = (ack, _) => ack.KitId == "kit-a"
            ? Task.FromException(new MqttCommunicationException("The MQTT client is disconnected."))
            : Task.CompletedTask;
        await pipeline.ProcessAsync([Item("kit-a", 1, []), Item("kit-b", 1, [])], CancellationToken.None);

        var lost = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, lost.Level);
        Assert.Null(lost.Exception);
        Assert.Contains("1 of 2 HubAcks", lost.Message, StringComparison.Ordinal);

        logger.Entries.Clear();
        pipeline.AckSender = (_, _) => Task.FromException(new InvalidCastException("a bug"));
        await pipeline.ProcessAsync([Item("kit-a", 2, [])], CancellationToken.None);

        var bug = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, bug.Level);
        Assert.IsType<InvalidCastException>(bug.Exception);
    }

    public void Dispose() => _parts.Dispose();

    private async Task WaitForStoredAsync(long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_parts.Stats.Stored < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(count, _parts.Stats.Stored);
    }

    private IngestionPipeline Pipeline(IEventStore store, IngestionOptions? options = null, TimeProvider? time = null, ILogger<IngestionPipeline>? logger = null) =>
        new(store, _parts.Health, _parts.Stats, Options.Create(options ?? new IngestionOptions()), time ?? TimeProvider.System, logger ?? NullLogger<IngestionPipeline>.Instance);

    private async Task<HashSet<long>> StoredSeqsAsync(CancellationToken cancellationToken) =>
        [.. (await _parts.Store.QueryEventsAsync(new EventQuery { Limit = 1000 }, cancellationToken)).Select(e => e.Seq)];

    private static string Boot => IngestItems.Boot;

    private static IngestItem Item(string kitId, long seq, List<string> log) => Item(kitId, seq, _ =>
    {
        lock (log)
        {
            log.Add($"settle {seq}");
        }

        return Task.CompletedTask;
    });

    private static IngestItem Item(string kitId, long seq, Func<CancellationToken, Task> settle) =>
        IngestItems.Door(kitId, seq, DateTimeOffset.UtcNow, settle);

    /// <summary>Keeps what the pipeline logs, to check levels, messages and whether a stack trace is attached.</summary>
    private sealed class RecordingLogger : ILogger<IngestionPipeline>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception), exception));
            }
        }
    }
}
