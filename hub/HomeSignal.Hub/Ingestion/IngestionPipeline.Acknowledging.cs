using System.Threading.Channels;
using HomeSignal.Contracts.Payloads;
using MQTTnet.Exceptions;

namespace HomeSignal.Hub.Ingestion;

/// <summary>The acknowledging stage: broker acks and HubAcks for stored items, and what is logged when they fail.</summary>
public sealed partial class IngestionPipeline
{
    /// <summary>
    /// Acknowledges stored batches as they come, everything that is waiting together. Between batches (say, while the
    /// store is down) it still sends the HubAcks that fall due.
    /// </summary>
    private async Task AcknowledgeLoopAsync(ChannelReader<IngestItem[]> stored, CancellationToken cancellationToken)
    {
        var items = new List<IngestItem>();
        try
        {
            while (await WaitForStoredAsync(stored, cancellationToken))
            {
                items.Clear();
                while (stored.TryRead(out var batch))
                {
                    items.AddRange(batch);
                }

                // Nothing else in hand (or shutting down): tell every kit now rather than let anyone wait.
                var everything = _shuttingDown || Pending <= items.Count;
                await GuardedAsync(() => AcknowledgeAsync(items, everything, cancellationToken), $"{items.Count} stored events");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what is not acknowledged yet is redelivered by the broker and deduplicated.
        }
    }

    /// <summary>
    /// Waits for the next stored batch, sending the HubAcks that fall due meanwhile on time. False once the writer
    /// completed and everything stored was read.
    /// </summary>
    private async Task<bool> WaitForStoredAsync(ChannelReader<IngestItem[]> stored, CancellationToken cancellationToken)
    {
        var next = stored.WaitToReadAsync(cancellationToken).AsTask();
        while (!next.IsCompleted && _acks.NextDue is { } due)
        {
            var wait = due - _time.GetUtcNow();
            await ((Task)next).WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            if (!next.IsCompleted)
            {
                // Taken from the pending set before sending, so a failing send cannot make this loop spin.
                await GuardedAsync(() => TellKitsAsync(everything: _shuttingDown, cancellationToken), "the HubAcks that fell due");
            }
        }

        return await next;
    }

    private async Task GuardedAsync(Func<Task> acknowledge, string what)
    {
        try
        {
            await acknowledge();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug here must not stop ingestion: the events are stored, and are acknowledged again when resent.
            LogAcknowledgingFailed(ex, what);
        }
    }

    /// <summary>
    /// Settles the MQTT messages with the broker and sends the HubAcks that are due (all of them with
    /// <paramref name="everything"/>). Only for items already durable.
    /// </summary>
    private async Task AcknowledgeAsync(IReadOnlyList<IngestItem> items, bool everything, CancellationToken cancellationToken)
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
                _acks.Add(items);
                unsent = await SendHubAcksAsync(everything, cancellationToken);
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

    /// <summary>Sends the HubAcks that fell due while no batch came, in one write.</summary>
    private async Task TellKitsAsync(bool everything, CancellationToken cancellationToken)
    {
        var batch = BeginWriteBatch?.Invoke() ?? default;
        int unsent;
        try
        {
            unsent = await SendHubAcksAsync(everything, cancellationToken);
        }
        finally
        {
            await SendBatchAsync(batch, 0, cancellationToken);
        }

        if (unsent > 0 && _shuttingDown)
        {
            LogShutdownUndelivered(unsent, 0);
        }
    }

    private async Task<int> SendHubAcksAsync(bool everything, CancellationToken cancellationToken)
    {
        var acks = _acks.Take(_time.GetUtcNow(), everything);
        if (AckSender is not { } send || acks.Count == 0)
        {
            return 0;
        }

        var sends = new Task[acks.Count];
        for (var i = 0; i < acks.Count; i++)
        {
            sends[i] = Send(send, acks[i], cancellationToken);
        }

        return await CountFailuresAsync(sends, "HubAcks");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Total} {What} were not delivered ({Reason}); the events are stored, and are acknowledged again when resent.")]
    private partial void LogUndelivered(int failed, int total, string what, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Total} {What} failed unexpectedly; the events are stored, and are acknowledged again when resent.")]
    private partial void LogUndeliveredUnexpected(Exception exception, int failed, int total, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: {Acks} HubAcks and {Settles} broker acks were not delivered; those events are stored, and are acknowledged again when resent.")]
    private partial void LogShutdownUndelivered(int acks, int settles);

    [LoggerMessage(Level = LogLevel.Error, Message = "Acknowledging {What} failed; the events are stored, and are acknowledged again when resent.")]
    private partial void LogAcknowledgingFailed(Exception exception, string what);
}
