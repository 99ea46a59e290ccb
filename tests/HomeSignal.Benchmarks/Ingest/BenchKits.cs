using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Benchmarks.Ingest;

/// <summary>
/// Publishing kits for the ingest benchmark: plain MQTTnet 5 clients sending contract v1 events with QoS 1, each
/// publish awaited for its PUBACK (as the edge does). Every kit listens on its own acks topic in every round (hub or
/// baseline), so both face the same connections and subscriptions; acks are counted per sequence number, once.
/// </summary>
internal sealed class BenchKit : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly object _gate = new();
    private readonly Action<int> _onAck;
    private bool[] _acked = [];
    private int _ackedCount;
    private int _duplicateAcks;

    /// <param name="kitId">The kit's id (its topics).</param>
    /// <param name="onAck">Called with the number of newly acknowledged events of each ack.</param>
    public BenchKit(string kitId, Action<int> onAck)
    {
        KitId = kitId;
        _onAck = onAck;
    }

    public string KitId { get; }

    public string BootId { get; } = Guid.NewGuid().ToString("N");

    public int Acked => Volatile.Read(ref _ackedCount);

    /// <summary>Events acknowledged more than once (allowed: a redelivered event is acked again; counted for the report).</summary>
    public int DuplicateAcks => Volatile.Read(ref _duplicateAcks);

    public async Task ConnectAsync(string host, int port, int count, CancellationToken cancellationToken)
    {
        _acked = new bool[count + 1];
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            var ack = ContractReader.ReadAck(payload.IsSingleSegment ? payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(payload), KitId);
            if (ack.IsValid)
            {
                OnAck(ack.Value!);
            }

            return Task.CompletedTask;
        };

        await _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(KitId + "-" + BootId[..6]).WithTimeout(TimeSpan.FromSeconds(30)).Build(), cancellationToken);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(KitTopics.For(KitId, KitChannel.Acks), MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
    }

    /// <summary>Publishes events 1..count, each awaited for its PUBACK; fails on any refusal.</summary>
    public async Task PublishAsync(int count, CancellationToken cancellationToken)
    {
        var topic = KitTopics.For(KitId, KitChannel.Events);
        for (var seq = 1; seq <= count; seq++)
        {
            var payload = ContractReader.Write(new SensorEvent
            {
                KitId = KitId,
                BootId = BootId,
                Seq = seq,
                SensorId = "motion-living",
                Kind = SensorKind.Motion,
                State = seq % 2 == 0 ? SensorStates.Inactive : SensorStates.Active,
                Ts = DateTimeOffset.UtcNow,
                ClockSynced = true,
            });
            var result = await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
            if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                throw new InvalidOperationException($"Publish of {KitId}/{seq} was refused: {result.ReasonCode}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private void OnAck(HubAck ack)
    {
        var fresh = 0;
        lock (_gate)
        {
            foreach (var range in ack.Stored)
            {
                if (range.BootId != BootId)
                {
                    continue;
                }

                for (var s = range.From; s <= range.To && s < _acked.Length; s++)
                {
                    if (_acked[s])
                    {
                        _duplicateAcks++;
                    }
                    else
                    {
                        _acked[s] = true;
                        fresh++;
                    }
                }
            }

            _ackedCount += fresh;
        }

        if (fresh > 0)
        {
            _onAck(fresh);
        }
    }
}
