using System.Buffers;
using System.Threading.Channels;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Storage.Influx;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Benchmarks.Peer;

/// <summary>
/// The hub's ingest path as the benchmark drives it: an MQTT 5 client takes every kit's events (QoS 1, manual
/// acknowledgement), a few batch loops store whatever is waiting in <see cref="InfluxEventStore"/>, and only after the
/// store returned (InfluxDB answered 204) publish one <see cref="HubAck"/> per kit and release the MQTT messages.
/// Mirrors hub/Ingestion (bounded queue → batch → durable write → acks), kept here so this benchmark builds on its own.
/// </summary>
public sealed class InfluxIngestHub : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly InfluxEventStore _store;
    private readonly TimeProvider _time;
    private readonly Channel<Received> _inbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly int _batchSize;
    private Task[] _loops = [];
    private long _rejected;
    private long _ackFailures;

    private InfluxIngestHub(IMqttClient client, InfluxEventStore store, TimeProvider time, int batchSize, int queueCapacity)
    {
        _client = client;
        _store = store;
        _time = time;
        _batchSize = batchSize;
        _inbox = Channel.CreateBounded<Received>(new BoundedChannelOptions(queueCapacity) { FullMode = BoundedChannelFullMode.Wait });
    }

    public long Rejected => Interlocked.Read(ref _rejected);

    public long AckFailures => Interlocked.Read(ref _ackFailures);

    public static async Task<InfluxIngestHub> StartAsync(string host, int port, InfluxEventStore store, int loops, int batchSize, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var hub = new InfluxIngestHub(client, store, TimeProvider.System, batchSize, queueCapacity: 4 * batchSize * loops);
        client.ApplicationMessageReceivedAsync += hub.OnMessageAsync;
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("bench-hub")
            .WithReceiveMaximum(ushort.MaxValue)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithoutPacketFragmentation()
            .Build();
        await client.ConnectAsync(options, cancellationToken);
        await client.SubscribeAsync(KitTopics.AllKits(KitChannel.Events), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        hub._loops = Enumerable.Range(0, loops).Select(_ => Task.Run(() => hub.RunAsync(hub._stop.Token), CancellationToken.None)).ToArray();
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
            // Stopping; unacknowledged messages stay with the broker.
        }

        await _client.TryDisconnectAsync();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // Released to the broker only after the durable write.
        e.AutoAcknowledge = false;
        var message = e.ApplicationMessage;
        SensorEvent? parsed = null;
        if (KitTopics.TryParse(message.Topic, out var kitId, out var channel) && channel == KitChannel.Events)
        {
            var payload = message.Payload;
            var result = ContractReader.ReadEvent(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray(), kitId);
            parsed = result.Value;
        }

        if (parsed is null)
        {
            Interlocked.Increment(ref _rejected);
            await e.AcknowledgeAsync(_stop.Token);
            return;
        }

        await _inbox.Writer.WriteAsync(new Received(parsed, _time.GetUtcNow(), e), _stop.Token);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Received>(_batchSize);
        while (await _inbox.Reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < _batchSize && _inbox.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            await _store.StoreAsync(batch.Select(r => new EventToStore(r.Event, r.ReceivedAt)).ToList(), cancellationToken);
            var now = _time.GetUtcNow();
            var acks = batch.GroupBy(r => r.Event.KitId, StringComparer.Ordinal).Select(kit => new HubAck
            {
                KitId = kit.Key,
                Ts = now,
                Stored = kit.GroupBy(r => r.Event.BootId, StringComparer.Ordinal).SelectMany(boot => Ranges(boot.Key, boot.Select(r => r.Event.Seq))).ToList(),
            });
            await Task.WhenAll(acks.Select(ack => SendAckAsync(ack, cancellationToken)));
            await Task.WhenAll(batch.Select(r => r.Message.AcknowledgeAsync(cancellationToken)));
        }
    }

    private async Task SendAckAsync(HubAck ack, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(KitTopics.For(ack.KitId, KitChannel.Acks))
            .WithPayload(ContractReader.Write(ack))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            Interlocked.Increment(ref _ackFailures);
        }
    }

    private static IEnumerable<SeqRange> Ranges(string bootId, IEnumerable<long> seqs)
    {
        long from = -1, to = -1;
        foreach (var seq in seqs.Distinct().Order())
        {
            if (from < 0)
            {
                from = to = seq;
            }
            else if (seq == to + 1)
            {
                to = seq;
            }
            else
            {
                yield return new SeqRange(bootId, from, to);
                from = to = seq;
            }
        }

        if (from >= 0)
        {
            yield return new SeqRange(bootId, from, to);
        }
    }

    private sealed record Received(SensorEvent Event, DateTimeOffset ReceivedAt, MqttApplicationMessageReceivedEventArgs Message);
}
