using System.Threading.Channels;
using HomeSignal.Contracts.Payloads;
using MQTTnet.Exceptions;

namespace HomeSignal.Hub.Ingestion;

/// <summary>The acknowledging stage: broker acks and HubAcks for stored items, and what is logged when they fail.</summary>
public sealed partial class IngestionPipeline
{
    /// <summary>Acknowledges stored batches as they come, everything that is waiting together (fewer, fuller HubAcks).</summary>
    private async Task AcknowledgeLoopAsync(ChannelReader<IngestItem[]> stored, CancellationToken cancellationToken)
    {
        var items = new List<IngestItem>();
        try
        {
            while (await stored.WaitToReadAsync(cancellationToken))
            {
                items.Clear();
                while (stored.TryRead(out var batch))
                {
                    items.AddRange(batch);
                }

                try
                {
                    await AcknowledgeAsync(items, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A bug here must not stop ingestion: the events are stored, and are acknowledged again when resent.
                    LogAcknowledgingFailed(ex, items.Count);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what is not acknowledged yet is redelivered by the broker and deduplicated.
        }
    }

    /// <summary>Settles the MQTT messages with the broker and sends each kit its HubAck. Only for items already durable.</summary>
    private async Task AcknowledgeAsync(IReadOnlyList<IngestItem> items, CancellationToken cancellationToken)
    {
        var unsettled = 0;
        var unsent = 0;
        try
        {
            // All of it leaves in one write when the batch is sent. Nothing in it may wait for an answer from the
            // broker (HubAcks are QoS 0), or it would wait for its own unsent request.
            var batch = BeginWriteBatch?.Invoke() ?? default;
            try
            {
                // Broker acks first: they free the broker's in-flight window for the next messages.
                unsettled = await SettleAllAsync(items, cancellationToken);
                if (AckSender is { } send)
                {
                    var acks = BuildAcks(items, _time.GetUtcNow());
                    var sends = new Task[acks.Count];
                    for (var i = 0; i < acks.Count; i++)
                    {
                        sends[i] = Send(send, acks[i], cancellationToken);
                    }

                    unsent = await CountFailuresAsync(sends, "HubAcks");
                }
            }
            finally
            {
                // Always ended, even after a bug above: an open batch would hold back every later write.
                unsettled += await SendBatchAsync(batch, items.Count - unsettled, cancellationToken);
            }

            if (unsettled + unsent > 0 && _shuttingDown)
            {
                LogShutdownUndelivered(unsent, unsettled);
            }
        }
        finally
        {
            ItemsDone(items.Count);
        }
    }

    private async Task<int> SettleAllAsync(IReadOnlyList<IngestItem> items, CancellationToken cancellationToken)
    {
        var failed = 0;
        Exception? first = null;
        foreach (var item in items)
        {
            try
            {
                await item.Settle(cancellationToken);
            }
            catch (Exception ex)
            {
                // Typically the connection is gone: the broker redelivers the message to the next session, and it is deduplicated.
                failed++;
                first ??= ex;
            }
        }

        ReportFailures(failed, items.Count, "broker acks", first);
        return failed;
    }

    /// <summary>Sends the gathered writes; when that fails, the broker acks in it are lost (the broker redelivers those messages).</summary>
    private async Task<int> SendBatchAsync(WriteBatch batch, int settled, CancellationToken cancellationToken)
    {
        try
        {
            await batch.SendAsync(cancellationToken);
            return 0;
        }
        catch (Exception ex)
        {
            ReportFailures(settled, settled, "broker acks", ex);
            return settled;
        }
    }

    private static Task Send(Func<HubAck, CancellationToken, Task> send, HubAck ack, CancellationToken cancellationToken)
    {
        try
        {
            return send(ack, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>
    /// Waits for all and counts the failed ones. The events are durable whatever happens here: an unacknowledged event
    /// is resent (by the kit or the broker) and acknowledged as a duplicate. A lost connection is logged as one line;
    /// anything unexpected with its stack trace. At shutdown the caller logs one line instead.
    /// </summary>
    private async Task<int> CountFailuresAsync(Task[] tasks, string what)
    {
        await Task.WhenAll(tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var failed = 0;
        Exception? first = null;
        foreach (var task in tasks)
        {
            if (!task.IsCompletedSuccessfully)
            {
                failed++;
                first ??= task.Exception?.InnerException;
            }
        }

        ReportFailures(failed, tasks.Length, what, first);
        return failed;
    }

    /// <summary>A lost connection is one warning line; anything unexpected keeps its stack trace; at shutdown the caller logs one line.</summary>
    private void ReportFailures(int failed, int total, string what, Exception? first)
    {
        if (failed == 0 || _shuttingDown)
        {
            return;
        }

        if (first is null or MqttCommunicationException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            LogUndelivered(failed, total, what, first?.Message ?? "cancelled");
        }
        else
        {
            LogUndeliveredUnexpected(first, failed, total, what);
        }
    }

    /// <summary>One HubAck per kit: stored, duplicate and quarantined events as sequence ranges per boot, plus rejections.</summary>
    public static IReadOnlyList<HubAck> BuildAcks(IEnumerable<IngestItem> batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var byKit = new Dictionary<string, (Dictionary<string, List<long>> Boots, List<RejectedEvent> Rejected)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var item in batch)
        {
            if (!byKit.TryGetValue(item.KitId, out var kit))
            {
                kit = (new Dictionary<string, List<long>>(StringComparer.Ordinal), []);
                byKit.Add(item.KitId, kit);
                order.Add(item.KitId);
            }

            if (item.Event is { } e)
            {
                if (!kit.Boots.TryGetValue(e.Event.BootId, out var seqs))
                {
                    seqs = [];
                    kit.Boots.Add(e.Event.BootId, seqs);
                }

                seqs.Add(e.Event.Seq);
            }

            if (item.Rejection is { } rejection)
            {
                kit.Rejected.Add(rejection);
            }
        }

        var acks = new List<HubAck>(order.Count);
        foreach (var kitId in order)
        {
            var (boots, rejected) = byKit[kitId];
            var stored = new List<SeqRange>();
            foreach (var (bootId, seqs) in boots)
            {
                AddRanges(stored, bootId, seqs);
            }

            if (stored.Count > 0 || rejected.Count > 0)
            {
                acks.Add(new HubAck { KitId = kitId, Ts = now, Stored = stored, Rejected = rejected });
            }
        }

        return acks;
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
                // Consecutive, or the same event twice in one batch (a redelivery): one range either way.
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Total} {What} were not delivered ({Reason}); the events are stored, and are acknowledged again when resent.")]
    private partial void LogUndelivered(int failed, int total, string what, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Total} {What} failed unexpectedly; the events are stored, and are acknowledged again when resent.")]
    private partial void LogUndeliveredUnexpected(Exception exception, int failed, int total, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: {Acks} HubAcks and {Settles} broker acks were not delivered; those events are stored, and are acknowledged again when resent.")]
    private partial void LogShutdownUndelivered(int acks, int settles);

    [LoggerMessage(Level = LogLevel.Error, Message = "Acknowledging {Count} stored events failed; the events are stored, and are acknowledged again when resent.")]
    private partial void LogAcknowledgingFailed(Exception exception, int count);
}
