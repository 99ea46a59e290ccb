using System.Threading.Channels;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Ingestion;

/// <summary>
/// Bounded queue → batch writer → acknowledgements. A batch is whatever is waiting (up to the batch size), written in
/// one transaction; only then are HubAcks sent to the kits and the MQTT messages acknowledged to the broker. When the
/// queue is full, <see cref="EnqueueAsync"/> waits, so the hub stops taking messages and the broker keeps them.
/// </summary>
public sealed class IngestionPipeline
{
    private readonly Channel<IngestItem> _queue;
    private readonly IEventStore _store;
    private readonly KitHealthTracker _health;
    private readonly IngestStats _stats;
    private readonly IngestionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestionPipeline> _logger;
    private readonly IReadOnlyList<IStoredEventObserver> _observers;

    public IngestionPipeline(IEventStore store, KitHealthTracker health, IngestStats stats, IOptions<IngestionOptions> options, TimeProvider time, ILogger<IngestionPipeline> logger, IEnumerable<IStoredEventObserver>? observers = null)
    {
        _observers = [.. observers ?? []];
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _health = health;
        _stats = stats;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Sends one kit's HubAck; set by the MQTT connection.</summary>
    public Func<HubAck, CancellationToken, Task>? AckSender { get; set; }

    public ValueTask EnqueueAsync(IngestItem item, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(item, cancellationToken);

    /// <summary>Writes batches until cancelled. Unfinished items are left unacknowledged: the broker redelivers them.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<IngestItem>(_options.BatchSize);
        while (await _queue.Reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await ProcessAsync(batch, cancellationToken);
        }
    }

    /// <summary>Stores one batch durably (retrying while the store fails), then acknowledges it.</summary>
    public async Task ProcessAsync(IReadOnlyList<IngestItem> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var toStore = batch.Where(i => i.Event is not null).ToList();
        var outcomes = await StoreWithRetryAsync(toStore.Select(i => i.Event!).ToList(), cancellationToken);

        var stored = 0;
        var newlyStored = _observers.Count > 0 ? new List<EventToStore>() : null;
        var duplicates = 0;
        var quarantined = 0;
        for (var i = 0; i < toStore.Count; i++)
        {
            var e = toStore[i].Event!;
            switch (outcomes[i])
            {
                case StoreOutcome.Stored:
                    stored++;
                    _health.OnEvent(e.Event.KitId, e.Event.SensorId, e.Event.Ts, e.ReceivedAt);
                    newlyStored?.Add(e);
                    break;
                case StoreOutcome.Duplicate:
                    duplicates++;
                    break;
                case StoreOutcome.Quarantined:
                    quarantined++;
                    break;
            }
        }

        _stats.CountStored(stored);
        _stats.CountDuplicates(duplicates);
        _stats.CountQuarantined(quarantined);
        if (newlyStored is { Count: > 0 })
        {
            Notify(newlyStored);
        }

        if (AckSender is { } send)
        {
            // Acks to different kits go out together: one round trip per batch, not one per kit.
            await Task.WhenAll(BuildAcks(batch, _time.GetUtcNow()).Select(ack => SendAckAsync(send, ack, cancellationToken)));
        }

        await Task.WhenAll(batch.Select(item => SettleAsync(item, cancellationToken)));
    }

    private void Notify(IReadOnlyList<EventToStore> stored)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnStored(stored);
            }
            catch (Exception ex)
            {
                // The events are stored and will be acknowledged; an observer's bug must not stop ingestion.
                _logger.LogError(ex, "An observer of stored events ({Observer}) failed.", observer.GetType().Name);
            }
        }
    }

    private async Task SendAckAsync(Func<HubAck, CancellationToken, Task> send, HubAck ack, CancellationToken cancellationToken)
    {
        try
        {
            await send(ack, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The events are stored; the kit will resend and get a (duplicate) ack then.
            _logger.LogWarning(ex, "Could not send the ack to kit {Kit}; it will be acknowledged when the kit resends.", ack.KitId);
        }
    }

    private async Task SettleAsync(IngestItem item, CancellationToken cancellationToken)
    {
        try
        {
            await item.Settle(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogDebug(ex, "Could not acknowledge a message to the broker (connection lost); it will be redelivered and deduplicated.");
        }
    }

    /// <summary>One HubAck per kit: stored, duplicate and quarantined events as sequence ranges per boot, plus rejections.</summary>
    public static IReadOnlyList<HubAck> BuildAcks(IEnumerable<IngestItem> batch, DateTimeOffset now)
    {
        var acks = new List<HubAck>();
        foreach (var kit in batch.GroupBy(i => i.KitId, StringComparer.Ordinal))
        {
            var stored = kit.Where(i => i.Event is not null)
                .Select(i => i.Event!.Event)
                .GroupBy(e => e.BootId, StringComparer.Ordinal)
                .SelectMany(boot => Ranges(boot.Key, boot.Select(e => e.Seq)))
                .ToList();
            var rejected = kit.Where(i => i.Rejection is not null).Select(i => i.Rejection!).ToList();
            if (stored.Count > 0 || rejected.Count > 0)
            {
                acks.Add(new HubAck { KitId = kit.Key, Ts = now, Stored = stored, Rejected = rejected });
            }
        }

        return acks;
    }

    private static IEnumerable<SeqRange> Ranges(string bootId, IEnumerable<long> seqs)
    {
        long? from = null;
        long to = 0;
        foreach (var seq in seqs.Distinct().Order())
        {
            if (from is null)
            {
                from = to = seq;
            }
            else if (seq == to + 1)
            {
                to = seq;
            }
            else
            {
                yield return new SeqRange(bootId, from.Value, to);
                from = to = seq;
            }
        }

        if (from is not null)
        {
            yield return new SeqRange(bootId, from.Value, to);
        }
    }

    private async Task<IReadOnlyList<StoreOutcome>> StoreWithRetryAsync(List<EventToStore> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _store.StoreAsync(events, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing is acknowledged until the write succeeds; the broker keeps the messages meanwhile.
                _logger.LogError(ex, "Storing a batch of {Count} events failed (attempt {Attempt}); retrying in {Delay}.", events.Count, attempt, _options.StoreRetryInterval);
                await Task.Delay(_options.StoreRetryInterval, _time, cancellationToken);
            }
        }
    }
}
