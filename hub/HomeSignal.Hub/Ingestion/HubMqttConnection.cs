using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Broker;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace HomeSignal.Hub.Ingestion;

/// <summary>
/// The hub's own MQTT 5 client, the same against the embedded broker and mosquitto: fixed client id, CleanStart=false
/// and a session expiry as long as the tolerated outage (so the broker queues events while the hub is down), QoS 1
/// subscriptions (shared between hubs when configured) and manual acknowledgement after the durable write.
/// </summary>
public sealed class HubMqttConnection : BackgroundService
{
    private readonly BrokerOptions _options;
    private readonly IngestionOptions _ingestion;
    private readonly BrokerEndpoint _endpoint;
    private readonly EventGate _gate;
    private readonly IngestionPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger<HubMqttConnection> _logger;
    private readonly IMqttClient _client;
    private readonly CoalescingStreamProvider _streams = new();
    private CancellationToken _stopping;
    private volatile bool _subscribed;

    public HubMqttConnection(IOptions<BrokerOptions> options, IOptions<IngestionOptions> ingestion, BrokerEndpoint endpoint, EventGate gate, IngestionPipeline pipeline, TimeProvider time, ILogger<HubMqttConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ingestion);
        ArgumentNullException.ThrowIfNull(pipeline);
        _options = options.Value;
        _ingestion = ingestion.Value;
        _endpoint = endpoint;
        _gate = gate;
        _pipeline = pipeline;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        pipeline.AckSender = SendAckAsync;
        pipeline.BeginWriteBatch = _streams.BeginBatch;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connected and subscribed: messages published from now on reach the hub.</summary>
    public bool IsReceiving => _subscribed && _client.IsConnected;

    /// <summary>Topic filters the hub subscribes to (shared between hub instances when configured).</summary>
    public IReadOnlyList<string> TopicFilters =>
        [.. new[] { KitChannel.Events, KitChannel.Heartbeat, KitChannel.Status }
            .Select(c => _options.SharedSubscription ? KitTopics.SharedAllKits(c) : KitTopics.AllKits(c))];

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        await TryConnectAsync(stoppingToken);
        using var timer = new PeriodicTimer(_options.ReconnectInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_client.IsConnected)
                {
                    await TryConnectAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        if (_client.IsConnected)
        {
            // Finish what was taken (stored, acked to kits and broker) so nothing is left in flight on the link.
            if (!await _pipeline.DrainAsync(_ingestion.ShutdownDrainTimeout))
            {
                _logger.LogInformation("Shutting down with {Count} events not yet acknowledged; the broker redelivers them to the next session.", _pipeline.Pending);
            }

            // A clean DISCONNECT keeps the session (CleanStart=false + expiry): the broker queues events until the hub returns.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MqttCommunicationException or InvalidOperationException)
            {
                _logger.LogDebug(ex, "Disconnect from the broker did not complete.");
            }
        }
    }

    private async Task TryConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_endpoint.Host, _endpoint.Port)
            .WithStreamProvider(_streams)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(_options.ClientId)
            .WithCredentials(_endpoint.Username, _endpoint.Password)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum((ushort)_options.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_options.UseTls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls());
        }

        _subscribed = false;
        try
        {
            var result = await _client.ConnectAsync(builder.Build(), cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _logger.LogError("The broker refused the hub's connection: {Code} {Reason}.", result.ResultCode, result.ReasonString);
                return;
            }

            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (var filter in TopicFilters)
            {
                subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
            }

            var subscribed = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
            foreach (var item in subscribed.Items.Where(i => (int)i.ResultCode > 2))
            {
                _logger.LogError("The broker refused the hub's subscription to {Filter}: {Code}.", item.TopicFilter.Topic, item.ResultCode);
            }

            _subscribed = true;
            _logger.LogInformation("Hub connected to {Host}:{Port} as {ClientId} (session present: {SessionPresent}).",
                _endpoint.Host, _endpoint.Port, _options.ClientId, result.IsSessionPresent);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or InvalidOperationException or IOException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("Hub could not connect to the broker at {Host}:{Port}: {Message}. Retrying.", _endpoint.Host, _endpoint.Port, ex.Message);
            }
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // Acknowledged to the broker only after the durable write (events) or handling (heartbeat, status).
        e.AutoAcknowledge = false;
        if (_stopping.IsCancellationRequested)
        {
            // Shutting down: left unacknowledged, the broker redelivers it to the next session.
            return;
        }

        var receivedAt = _time.GetUtcNow();
        GateResult result;
        try
        {
            result = _gate.Inspect(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload, receivedAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A crash is a bug; it must not stop ingestion. The message is refused and counted.
            _logger.LogError(ex, "Unexpected failure inspecting a message on {Topic}.", e.ApplicationMessage.Topic);
            result = new GateResult.Reject(null, "internal-error", ex.Message, null);
        }

        Func<CancellationToken, Task> settle = ct => e.AcknowledgeAsync(ct);
        try
        {
            switch (result)
            {
                case GateResult.Accept accept:
                    await _pipeline.EnqueueAsync(new IngestItem(accept.KitId, accept.Event, null, settle), _stopping);
                    break;
                case GateResult.Reject { KitId: { } kitId, Rejection: { } rejection }:
                    await _pipeline.EnqueueAsync(new IngestItem(kitId, null, rejection, settle), _stopping);
                    break;
                default:
                    await e.AcknowledgeAsync(_stopping);
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: left unacknowledged, the broker redelivers it to the next session.
        }
    }

    /// <summary>Publishes a command to one kit (QoS 1). False when the hub is not connected to the broker or the broker refused it.</summary>
    public async Task<bool> SendCommandAsync(KitCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_client.IsConnected)
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(KitTopics.For(command.KitId, KitChannel.Commands))
            .WithPayload(ContractReader.Write(command))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        return result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers;
    }

    /// <summary>
    /// QoS 0: a HubAck is repeatable. One lost with a dropped connection is made good by the kit, which resends every
    /// unacknowledged event after a reconnect (or after its ack timeout) and gets them acknowledged as duplicates.
    /// QoS 1 would double the broker's work per ack, and could not go out inside a write batch (see IngestionPipeline).
    /// </summary>
    private async Task SendAckAsync(HubAck ack, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(KitTopics.For(ack.KitId, KitChannel.Acks))
            .WithPayload(ContractReader.Write(ack))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        await _client.PublishAsync(message, cancellationToken);
    }
}
