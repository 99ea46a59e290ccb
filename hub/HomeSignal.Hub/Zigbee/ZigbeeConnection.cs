using HomeSignal.Hub.Broker;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace HomeSignal.Hub.Zigbee;

/// <summary>
/// The hub's MQTT client for zigbee2mqtt, beside its kit client: the hub's account, its own fixed client id,
/// CleanStart=false with the broker's session expiry, exact QoS 1 subscriptions to the mapped devices, and manual
/// acknowledgement after a change is stored. Also beats the virtual kits' heartbeat while connected.
/// </summary>
public sealed class ZigbeeConnection : BackgroundService
{
    private readonly IOptions<ZigbeeOptions> _options;
    private readonly BrokerOptions _broker;
    private readonly BrokerEndpoint _endpoint;
    private readonly IServiceProvider _services;
    private ZigbeeBridge _bridge = null!;
    private readonly TimeProvider _time;
    private readonly ILogger<ZigbeeConnection> _logger;
    private readonly IMqttClient _client;
    private CancellationToken _stopping;
    private volatile bool _subscribed;

    public ZigbeeConnection(IOptions<ZigbeeOptions> options, IOptions<BrokerOptions> broker, BrokerEndpoint endpoint, IServiceProvider services, TimeProvider time, ILogger<ZigbeeConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _options = options;
        _broker = broker.Value;
        _endpoint = endpoint;
        _services = services;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Connected and subscribed to the mapped devices.</summary>
    public bool IsListening => _client.IsConnected && _subscribed;


    public string ClientId => _broker.ClientId + "-zigbee";

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Value.Enabled)
        {
            return;
        }

        _stopping = stoppingToken;
        try
        {
            // Resolved only when enabled: a hub without zigbee2mqtt keeps no zigbee state file.
            _bridge = _services.GetRequiredService<ZigbeeBridge>();
            await _bridge.StartAsync(stoppingToken);
            await TryConnectAsync(stoppingToken);
            var nextBeat = _time.GetUtcNow();
            var tick = _broker.ReconnectInterval < _options.Value.HeartbeatInterval ? _broker.ReconnectInterval : _options.Value.HeartbeatInterval;
            using var timer = new PeriodicTimer(tick, _time);
            do
            {
                if (!_client.IsConnected)
                {
                    await TryConnectAsync(stoppingToken);
                }

                var now = _time.GetUtcNow();
                if (_client.IsConnected && now >= nextBeat)
                {
                    nextBeat = now + _options.Value.HeartbeatInterval;
                    await _bridge.BeatAsync(now, stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        if (_client.IsConnected)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MqttCommunicationException or InvalidOperationException)
            {
                _logger.LogDebug(ex, "Disconnect of the zigbee client did not complete.");
            }
        }
    }

    private async Task TryConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_endpoint.Host, _endpoint.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(ClientId)
            .WithCredentials(_endpoint.Username, _endpoint.Password)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_broker.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_broker.UseTls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls());
        }

        _subscribed = false;
        try
        {
            var result = await _client.ConnectAsync(builder.Build(), cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _logger.LogError("The broker refused the hub's zigbee connection: {Code} {Reason}.", result.ResultCode, result.ReasonString);
                return;
            }

            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (var filter in _bridge.TopicFilters)
            {
                subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
            }

            var subscribed = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
            foreach (var item in subscribed.Items.Where(i => (int)i.ResultCode > 2))
            {
                _logger.LogError("The broker refused the hub's subscription to {Filter}: {Code}.", item.TopicFilter.Topic, item.ResultCode);
            }

            _subscribed = true;
            _logger.LogInformation("Hub listening to zigbee2mqtt under {Base} ({Devices} devices).", _options.Value.BaseTopic, _options.Value.Devices.Count);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or InvalidOperationException or IOException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("The hub's zigbee client could not connect to the broker at {Host}:{Port}: {Message}. Retrying.", _endpoint.Host, _endpoint.Port, ex.Message);
            }
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
        try
        {
            await _bridge.HandleAsync(e.ApplicationMessage.Topic, payload, _time.GetUtcNow(), ct => e.AcknowledgeAsync(ct), _stopping);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: left unacknowledged, the broker redelivers it to the next session.
        }
    }
}
