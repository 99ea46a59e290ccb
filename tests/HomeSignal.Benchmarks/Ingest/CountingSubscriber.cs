using HomeSignal.Contracts.Topics;
using HomeSignal.Testing.Servers;
using MQTTnet;
using MQTTnet.Protocol;

namespace HomeSignal.Benchmarks.Ingest;

/// <summary>
/// The broker-only baseline's other end: one plain MQTTnet subscriber to every kit's events, with the hub's session
/// settings, that only counts. Disposing ends its session on the broker.
/// </summary>
internal sealed class CountingSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MosquittoServer _mosquitto;
    private readonly string _clientId;
    private long _received;
    private long _expected;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CountingSubscriber(IMqttClient client, MosquittoServer mosquitto, string clientId)
    {
        _client = client;
        _mosquitto = mosquitto;
        _clientId = clientId;
        _client.ApplicationMessageReceivedAsync += _ =>
        {
            if (Interlocked.Increment(ref _received) == Interlocked.Read(ref _expected))
            {
                _done.TrySetResult();
            }

            return Task.CompletedTask;
        };
    }

    public long Received => Interlocked.Read(ref _received);

    public static async Task<CountingSubscriber> ConnectAsync(MosquittoServer mosquitto, string clientId, int? receiveMaximum, CancellationToken cancellationToken)
    {
        var subscriber = new CountingSubscriber(new MqttClientFactory().CreateMqttClient(), mosquitto, clientId);
        await subscriber._client.ConnectAsync(IngestBenchmark.SubscriberOptions(mosquitto, clientId, receiveMaximum), cancellationToken);
        await subscriber._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(KitTopics.AllKits(KitChannel.Events), MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        return subscriber;
    }

    /// <summary>Starts counting from zero; the task completes when <paramref name="count"/> messages arrived.</summary>
    public Task Expect(long count)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _expected, count);
        return _done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
        await IngestBenchmark.EndSessionAsync(_mosquitto, _clientId, CancellationToken.None);
    }
}
