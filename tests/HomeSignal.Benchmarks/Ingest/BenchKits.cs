using System.Collections.Concurrent;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Benchmarks.Ingest;

/// <summary>Publishing kits for the ingest benchmark: plain MQTTnet 5 clients sending contract v1 events with QoS 1.</summary>
internal sealed class BenchKit : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<long, bool> _acked = new();

    public BenchKit(string kitId) => KitId = kitId;

    public string KitId { get; }

    public string BootId { get; } = Guid.NewGuid().ToString("N");

    public int Acked => _acked.Count;

    public DateTimeOffset LastAckAt { get; private set; }

    public async Task ConnectAsync(string host, int port, string? username, string? password, bool listenForAcks, CancellationToken cancellationToken)
    {
        if (listenForAcks)
        {
            _client.ApplicationMessageReceivedAsync += e =>
            {
                var ack = ContractReader.ReadAck(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload), KitId);
                if (ack.IsValid)
                {
                    foreach (var range in ack.Value!.Stored.Where(r => r.BootId == BootId))
                    {
                        for (var s = range.From; s <= range.To; s++)
                        {
                            _acked[s] = true;
                        }
                    }

                    LastAckAt = DateTimeOffset.UtcNow;
                }

                return Task.CompletedTask;
            };
        }

        var builder = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(KitId + "-" + BootId[..6]).WithTimeout(TimeSpan.FromSeconds(30));
        if (username is not null)
        {
            builder = builder.WithCredentials(username, password);
        }

        await _client.ConnectAsync(builder.Build(), cancellationToken);
        if (listenForAcks)
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(KitTopics.For(KitId, KitChannel.Acks), MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        }
    }

    /// <summary>Publishes events 1..count, each awaited for its PUBACK (as the edge does); fails on any refusal.</summary>
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
}
