using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Registry;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace HomeSignal.Hub.KitConfiguration;

/// <summary>
/// Publishes the retained kit configs through the hub's own account, the same against the embedded broker and
/// mosquitto: everything at start, then whatever the registry changed, on a short interval or at once on a registry change.
/// </summary>
public sealed class KitConfigService : BackgroundService
{
    private readonly KitConfigPublisher _publisher;
    private readonly KitRegistry _kits;
    private readonly BrokerOptions _broker;
    private readonly BrokerEndpoint _endpoint;
    private readonly KitConfigOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<KitConfigService> _logger;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly SemaphoreSlim _wake = new(0, 1);

    public KitConfigService(KitConfigPublisher publisher, KitRegistry kits, IOptions<BrokerOptions> broker, BrokerEndpoint endpoint, IOptions<KitConfigOptions> options, TimeProvider time, ILogger<KitConfigService> logger)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(options);
        _publisher = publisher;
        _kits = kits;
        _broker = broker.Value;
        _endpoint = endpoint;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public override void Dispose()
    {
        _client.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _kits.Changed += OnRegistryChanged;
        try
        {
            do
            {
                try
                {
                    if (_client.IsConnected || await TryConnectAsync(stoppingToken))
                    {
                        await _publisher.ReconcileAsync(PublishAsync, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or IOException)
                {
                    _logger.LogWarning("Publishing kit configs failed: {Message}. Retrying.", ex.Message);
                }
            }
            while (await WaitAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _kits.Changed -= OnRegistryChanged;
        }

        if (_client.IsConnected)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MqttCommunicationException or InvalidOperationException)
            {
                _logger.LogDebug(ex, "Disconnect of the config publisher did not complete.");
            }
        }
    }

    /// <summary>Waits for the next interval, or less when the registry changed.</summary>
    private async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        using var interval = new CancellationTokenSource(_options.ReconcileInterval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(interval.Token, cancellationToken);
        try
        {
            await _wake.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed without a registry change.
        }

        return true;
    }

    private void OnRegistryChanged(object? sender, EventArgs e)
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_endpoint.Host, _endpoint.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(_broker.ClientId + "-config")
            .WithCredentials(_endpoint.Username, _endpoint.Password)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_broker.UseTls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls());
        }

        try
        {
            var result = await _client.ConnectAsync(builder.Build(), cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _logger.LogError("The broker refused the hub's config publisher: {Code}.", result.ResultCode);
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or IOException)
        {
            _logger.LogWarning("The config publisher could not connect to the broker at {Host}:{Port}: {Message}. Retrying.", _endpoint.Host, _endpoint.Port, ex.Message);
            return false;
        }
    }

    private async Task<bool> PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);

        // A retained message is kept even when nobody listens yet.
        var taken = result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers;
        if (!taken)
        {
            _logger.LogWarning("The broker did not take the config on {Topic}: {Code}.", topic, result.ReasonCode);
        }

        return taken;
    }
}
