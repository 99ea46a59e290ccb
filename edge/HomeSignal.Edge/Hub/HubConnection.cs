using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Edge.Kit;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Edge.Hub;

/// <summary>
/// The kit's MQTT 5 link to the hub's broker: connects with this kit's own credentials (TLS and/or client certificate),
/// registers the retained offline status as last will, publishes the retained online status, and (re)subscribes to the
/// kit's acks, config and commands after every connect. MQTTnet 5 has no managed client: <see cref="EnsureConnectedAsync"/>
/// is called on a timer and reconnects after a failed <c>TryPingAsync</c>.
/// </summary>
public sealed class HubConnection : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttOptions _options;
    private readonly KitIdentity _identity;
    private readonly TimeProvider _time;
    private readonly ILogger<HubConnection> _logger;
    private bool _wasConnected;

    public HubConnection(IOptions<MqttOptions> options, KitIdentity identity, TimeProvider time, ILogger<HubConnection> logger)
    {
        _options = options.Value;
        _identity = identity;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        if (!_options.UseTls)
        {
            _logger.LogWarning("MQTT without TLS (Mqtt:UseTls=false): only for the demo and tests. The kit's password and events cross the network readable.");
        }
    }

    /// <summary>Raised after each successful (re)connect, once subscriptions and the online status are in place.</summary>
    public event Action? Connected;

    /// <summary>A message on one of this kit's hub-to-kit channels (acks, config, commands).</summary>
    public event Action<KitChannel, byte[]>? MessageReceived;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Pings when connected; otherwise connects. Returns whether the link is up.</summary>
    public async Task<bool> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected && await _client.TryPingAsync(cancellationToken))
        {
            return true;
        }

        if (_wasConnected)
        {
            _logger.LogWarning("Lost the link to the broker {Host}:{Port}; reconnecting.", _options.Host, _options.Port);
            _wasConnected = false;
        }

        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
            }

            var result = await _client.ConnectAsync(BuildOptions(), cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _logger.LogError("The broker refused the connection: {Code} {Reason}.", result.ResultCode, result.ReasonString);
                return false;
            }

            var subscribe = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(KitTopics.For(_identity.KitId, KitChannel.Acks), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(KitTopics.For(_identity.KitId, KitChannel.Config), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(KitTopics.For(_identity.KitId, KitChannel.Commands), MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var subscribed = await _client.SubscribeAsync(subscribe, cancellationToken);
            foreach (var item in subscribed.Items.Where(i => (int)i.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2))
            {
                _logger.LogError("Subscription to {Topic} refused: {Code}. Acks cannot arrive; check the broker's ACL for this kit.", item.TopicFilter.Topic, item.ResultCode);
            }

            var online = await PublishAsync(KitChannel.Status, ContractReader.Write(Status(KitState.Online)), retain: true, cancellationToken);
            if (online.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
            {
                _logger.LogWarning("The online status was refused: {Code}.", online.ReasonCode);
            }

            _wasConnected = true;
            _logger.LogInformation("Connected to the broker {Host}:{Port} as {KitId} (boot {BootId}).", _options.Host, _options.Port, _identity.KitId, _identity.BootId);
            Connected?.Invoke();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Could not connect to the broker {Host}:{Port}: {Message}", _options.Host, _options.Port, ex.Message);
            return false;
        }
    }

    public Task<MqttClientPublishResult> PublishAsync(KitChannel channel, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(KitTopics.For(_identity.KitId, channel))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        return _client.PublishAsync(message, cancellationToken);
    }

    /// <summary>On a planned stop: the retained status says offline (a normal disconnect does not fire the will).</summary>
    public async Task DisconnectGracefullyAsync(CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await PublishAsync(KitChannel.Status, ContractReader.Write(Status(KitState.Offline)), retain: true, cancellationToken);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Could not say goodbye to the broker: {Message}", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        if (_client.IsConnected)
        {
            await _client.TryDisconnectAsync();
        }

        _client.Dispose();
    }

    private KitStatus Status(KitState state) => new()
    {
        KitId = _identity.KitId,
        BootId = _identity.BootId,
        State = state,
        Ts = _time.GetUtcNow(),
    };

    private MqttClientOptions BuildOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_identity.KitId)
            .WithTcpServer(_options.Host, _options.Port)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(KitTopics.For(_identity.KitId, KitChannel.Status))
            .WithWillPayload(ContractReader.Write(Status(KitState.Offline)))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder.WithCredentials(_options.Username, _options.Password ?? string.Empty);
        }

        if (_options.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(_options.Host);
                X509Certificate2Collection? trust = null;
                if (!string.IsNullOrWhiteSpace(_options.CaCertificatePath))
                {
                    // Only the hub's CA: the TLS layer builds the chain against it alone, and BrokerTrust checks again.
                    // No revocation lists: the hub CA publishes none (a revoked kit is refused by its password).
                    trust = BrokerTrust.LoadCa(_options.CaCertificatePath);
                    tls.WithTrustChain(trust).WithRevocationMode(X509RevocationMode.NoCheck);
                }

                tls.WithCertificateValidationHandler(e =>
                {
                    var problem = BrokerTrust.Check(e.Certificate, e.SslPolicyErrors, trust);
                    if (problem is not null)
                    {
                        _logger.LogError("Refused the broker {Host}:{Port}: {Problem}.", _options.Host, _options.Port, problem);
                    }

                    return problem is null;
                });

                if (!string.IsNullOrWhiteSpace(_options.ClientCertificatePath))
                {
                    tls.WithClientCertificates([X509Certificate2.CreateFromPemFile(_options.ClientCertificatePath, _options.ClientKeyPath)]);
                }
            });
        }

        return builder.Build();
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (e.ClientWasConnected && e.Reason != MqttClientDisconnectReason.NormalDisconnection)
        {
            _logger.LogWarning("Disconnected from the broker: {Reason} {ReasonString} {Error}", e.Reason, e.ReasonString, e.Exception?.Message);
        }

        return Task.CompletedTask;
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (KitTopics.TryParse(e.ApplicationMessage.Topic, out var kitId, out var channel) && kitId == _identity.KitId)
        {
            try
            {
                MessageReceived?.Invoke(channel, e.ApplicationMessage.Payload.ToArray());
            }
            catch (Exception ex)
            {
                // A bad message must never take the link down; the handler logged what it could.
                _logger.LogError(ex, "Handling a message on {Topic} failed.", e.ApplicationMessage.Topic);
            }
        }

        return Task.CompletedTask;
    }
}
