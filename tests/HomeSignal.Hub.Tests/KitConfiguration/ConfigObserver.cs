using System.Collections.Concurrent;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Hub.Tests.KitConfiguration;

/// <summary>An MQTT client that records every config message it receives (retained ones arrive on subscribing).</summary>
public sealed class ConfigObserver : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    private ConfigObserver()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (KitTopics.TryParse(e.ApplicationMessage.Topic, out var kitId, out var channel) && channel == KitChannel.Config)
            {
                Messages.Enqueue((kitId, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)));
            }

            return Task.CompletedTask;
        };
    }

    public ConcurrentQueue<(string KitId, byte[] Payload)> Messages { get; } = new();

    /// <summary>Connects and subscribes to <paramref name="filter"/>; returns null when the broker refuses.</summary>
    public static async Task<ConfigObserver?> StartAsync(int port, string username, string password, string filter)
    {
        var observer = new ConfigObserver();
        try
        {
            var connected = await observer._client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId("observer-" + Guid.NewGuid().ToString("N")[..8])
                .WithCredentials(username, password)
                .WithTimeout(TimeSpan.FromSeconds(15))
                .Build());
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                await observer.DisposeAsync();
                return null;
            }

            var subscribed = await observer._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            if ((int)subscribed.Items.Single().ResultCode > 2)
            {
                await observer.DisposeAsync();
                return null;
            }

            return observer;
        }
        catch (Exception ex) when (ex is MQTTnet.Adapter.MqttConnectingFailedException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            await observer.DisposeAsync();
            return null;
        }
    }

    public IReadOnlyList<byte[]> For(string kitId) => [.. Messages.Where(m => m.KitId == kitId).Select(m => m.Payload)];

    /// <summary>The last config received for the kit, when it was one (not a clearing empty payload).</summary>
    public KitConfig? Latest(string kitId) =>
        For(kitId) is [.., var last] && last.Length > 0 && ContractReader.ReadConfig(last, kitId) is { IsValid: true } read ? read.Value : null;

    public Task PublishRetainedAsync(string topic, byte[] payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
