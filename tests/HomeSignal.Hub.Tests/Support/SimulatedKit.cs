using System.Collections.Concurrent;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>A kit as the hub sees it: a plain MQTTnet 5 client publishing contract v1 payloads and collecting HubAcks.</summary>
public sealed class SimulatedKit : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public SimulatedKit(string kitId)
    {
        KitId = kitId;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (KitTopics.TryParse(e.ApplicationMessage.Topic, out var kit, out var channel) && channel == KitChannel.Acks)
            {
                var ack = ContractReader.ReadAck(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload), kit);
                if (ack.IsValid)
                {
                    Acks.Enqueue(ack.Value!);
                }
            }

            return Task.CompletedTask;
        };
    }

    public string KitId { get; }

    public string BootId { get; } = Guid.NewGuid().ToString("N");

    public ConcurrentQueue<HubAck> Acks { get; } = new();

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects; returns the broker's answer instead of throwing when it refuses (a refused TLS handshake counts as NotAuthorized).</summary>
    public async Task<MqttClientConnectResultCode> ConnectAsync(int port, string? username, string? password, bool subscribeAcks = true, MqttClientTlsOptions? tls = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(KitId + "-" + Guid.NewGuid().ToString("N")[..6])
            .WithTimeout(TimeSpan.FromSeconds(15));
        if (username is not null)
        {
            builder = builder.WithCredentials(username, password);
        }

        if (tls is not null)
        {
            builder = builder.WithTlsOptions(tls);
        }

        try
        {
            var result = await _client.ConnectAsync(builder.Build());
            if (result.ResultCode == MqttClientConnectResultCode.Success && subscribeAcks)
            {
                await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(KitTopics.For(KitId, KitChannel.Acks), MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }

            return result.ResultCode;
        }
        catch (MqttConnectingFailedException ex)
        {
            _ = ex;
            return MqttClientConnectResultCode.UnspecifiedError;
        }
        catch (MqttCommunicationException)
        {
            // The broker closed the connection instead of answering (mosquitto does so for some refusals).
            return MqttClientConnectResultCode.NotAuthorized;
        }
    }

    public SensorEvent Event(long seq, string state = SensorStates.Open, DateTimeOffset? ts = null, string sensorId = "door-front", SensorKind kind = SensorKind.Door) => new()
    {
        KitId = KitId,
        BootId = BootId,
        Seq = seq,
        SensorId = sensorId,
        Kind = kind,
        State = state,
        Ts = ts ?? DateTimeOffset.UtcNow,
        ClockSynced = true,
    };

    public Task<MqttClientPublishResult> PublishAsync(SensorEvent e) => PublishRawAsync(KitTopics.For(KitId, KitChannel.Events), ContractReader.Write(e));

    public Task<MqttClientPublishResult> PublishRawAsync(string topic, byte[] payload, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build());

    public Task<MqttClientPublishResult> HeartbeatAsync(int intervalSeconds = 60, long outboxDepth = 0) =>
        PublishRawAsync(KitTopics.For(KitId, KitChannel.Heartbeat), ContractReader.Write(new Heartbeat
        {
            KitId = KitId,
            BootId = BootId,
            Ts = DateTimeOffset.UtcNow,
            UptimeSeconds = 10,
            IntervalSeconds = intervalSeconds,
            ClockSynced = true,
            Outbox = new OutboxHealth { Depth = outboxDepth, Bytes = outboxDepth * 200, CapacityEvents = 100_000, CapacityBytes = 50_000_000 },
            SoftwareVersion = "0.1.0-test",
        }));

    public Task<MqttClientSubscribeResult> SubscribeAsync(string filter) =>
        _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>True once every seq in <paramref name="seqs"/> was acknowledged as stored.</summary>
    public bool HasStoredAck(IEnumerable<long> seqs) =>
        seqs.All(s => Acks.Any(a => a.Stored.Any(r => r.BootId == BootId && r.From <= s && s <= r.To)));

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync();
            }
            catch (MqttCommunicationException)
            {
                // Already gone.
            }
        }

        _client.Dispose();
    }
}
