using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Outbox;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace HomeSignal.Edge.Hub;

/// <summary>
/// Sends the outbox to the hub in sequence order and releases events only on the hub's ack (sent after its durable
/// write) — a PUBACK only means the broker took the message. Every publish's reason code is checked: "no matching
/// subscribers" and "not authorised" keep the event, raise a health flag, and pause sending for <c>Mqtt:RetrySeconds</c>.
/// Events without an ack after <c>Mqtt:AckTimeoutSeconds</c>, and all unacknowledged events after a reconnect, are sent
/// again; the hub de-duplicates on (kit, boot, seq).
/// </summary>
public sealed class EventPublisher
{
    private readonly Lock _gate = new();
    private readonly HubConnection _hub;
    private readonly OutboxStore _store;
    private readonly OutboxSignal _signal;
    private readonly KitHealth _health;
    private readonly KitIdentity _identity;
    private readonly MqttOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EventPublisher> _logger;
    private readonly SortedDictionary<long, DateTimeOffset> _inFlight = [];
    private long _cursor;
    private DateTimeOffset _retryAfter = DateTimeOffset.MinValue;

    public EventPublisher(HubConnection hub, OutboxStore store, OutboxSignal signal, KitHealth health, KitIdentity identity, IOptions<MqttOptions> options, TimeProvider time, ILogger<EventPublisher> logger)
    {
        _hub = hub;
        _store = store;
        _signal = signal;
        _health = health;
        _identity = identity;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _hub.Connected += OnConnected;
        _hub.MessageReceived += OnMessage;
    }

    /// <summary>Last time the send loop ran (for the systemd watchdog).</summary>
    public DateTimeOffset LastLoop { get; private set; }

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            LastLoop = _time.GetUtcNow();
            if (_hub.IsConnected)
            {
                await PumpAsync(cancellationToken);
            }

            await _signal.WaitAsync(TimeSpan.FromSeconds(1), _time, cancellationToken);
        }
    }

    /// <summary>Handles one ack payload from <c>…/acks</c>: releases stored and rejected events.</summary>
    public void HandleAck(byte[] payload)
    {
        var result = ContractReader.ReadAck(payload, _identity.KitId);
        if (!result.IsValid)
        {
            _logger.LogWarning("Ignored an invalid ack: {Error}", result.Error);
            return;
        }

        var ack = result.Value!;
        var released = _store.Release([.. ack.Stored, .. ack.Rejected.Select(r => new SeqRange(r.BootId, r.Seq, r.Seq))]);
        foreach (var range in ack.Stored)
        {
            Forget(range.From, range.To);
        }

        foreach (var rejected in ack.Rejected)
        {
            Forget(rejected.Seq, rejected.Seq);
            _health.Set(HealthFlags.EventsRejected);
            _logger.LogError("The hub rejected event {BootId}/{Seq}: {Reason}. It leaves the outbox; see the hub's rejection log.", rejected.BootId, rejected.Seq, rejected.Reason);
        }

        if (released > 0 && _health.Has(HealthFlags.OutboxFull))
        {
            var stats = _store.Stats();
            if (stats.Depth < stats.CapacityEvents * 9 / 10 && stats.Bytes < stats.CapacityBytes * 9 / 10)
            {
                _health.Clear(HealthFlags.OutboxFull);
                _logger.LogInformation("The outbox has room again ({Depth} events).", stats.Depth);
            }
        }

        _signal.Notify();
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _retryAfter)
        {
            return;
        }

        lock (_gate)
        {
            if (_inFlight.Count > 0 && _inFlight.First() is var (oldestSeq, sentAt) && now - sentAt >= TimeSpan.FromSeconds(_options.AckTimeoutSeconds))
            {
                _logger.LogWarning("No hub ack for event {Seq} after {Timeout} s; sending the {Count} unacknowledged events again.", oldestSeq, _options.AckTimeoutSeconds, _inFlight.Count);
                _cursor = oldestSeq - 1;
                _inFlight.Clear();
            }
        }

        while (!cancellationToken.IsCancellationRequested && _hub.IsConnected)
        {
            IReadOnlyList<PendingEvent> batch;
            lock (_gate)
            {
                var room = _options.MaxInFlight - _inFlight.Count;
                if (room <= 0)
                {
                    return;
                }

                batch = _store.ReadAfter(_cursor, Math.Min(room, _options.PublishPipeline));
                if (batch.Count == 0)
                {
                    return;
                }

                // In flight before the publish: the hub's ack can arrive before our PUBACK does.
                foreach (var e in batch)
                {
                    _inFlight[e.Seq] = now;
                }

                _cursor = batch[^1].Seq;
            }

            if (!await SendAsync(batch, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<bool> SendAsync(IReadOnlyList<PendingEvent> batch, CancellationToken cancellationToken)
    {
        // Started in order on one connection: MQTTnet writes the packets in call order, so the broker keeps seq order.
        var publishes = batch.Select(e => _hub.PublishAsync(KitChannel.Events, e.Payload, retain: false, cancellationToken)).ToList();
        MqttClientPublishResult[] results;
        try
        {
            results = await Task.WhenAll(publishes);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Publishing stopped at event {Seq}: {Message}. It stays in the outbox.", batch[0].Seq, ex.Message);
            Unsend(batch[0].Seq);
            return false;
        }

        for (var i = 0; i < results.Length; i++)
        {
            var code = results[i].ReasonCode;
            if (code == MqttClientPublishReasonCode.Success)
            {
                continue;
            }

            Unsend(batch[i].Seq);
            _retryAfter = _time.GetUtcNow() + TimeSpan.FromSeconds(_options.RetrySeconds);
            switch (code)
            {
                case MqttClientPublishReasonCode.NoMatchingSubscribers:
                    if (_health.Set(HealthFlags.NoSubscribers))
                    {
                        _logger.LogWarning("The broker has no subscriber for our events (the hub is not listening); keeping them and retrying every {Retry} s.", _options.RetrySeconds);
                    }

                    break;
                case MqttClientPublishReasonCode.NotAuthorized:
                    if (_health.Set(HealthFlags.NotAuthorised))
                    {
                        _logger.LogError("The broker refused our events as not authorised: check this kit's credentials and ACL. Keeping them and retrying every {Retry} s.", _options.RetrySeconds);
                    }

                    break;
                default:
                    _logger.LogWarning("The broker refused event {Seq}: {Code} {Reason}. Keeping it.", batch[i].Seq, code, results[i].ReasonString);
                    break;
            }

            return false;
        }

        if (_health.Clear(HealthFlags.NoSubscribers) | _health.Clear(HealthFlags.NotAuthorised))
        {
            _logger.LogInformation("The broker accepts our events again.");
        }

        return true;
    }

    /// <summary>Takes events from <paramref name="fromSeq"/> on out of flight so they are sent again.</summary>
    private void Unsend(long fromSeq)
    {
        lock (_gate)
        {
            foreach (var seq in _inFlight.Keys.Where(s => s >= fromSeq).ToList())
            {
                _inFlight.Remove(seq);
            }

            _cursor = Math.Min(_cursor, fromSeq - 1);
        }
    }

    private void Forget(long from, long to)
    {
        lock (_gate)
        {
            foreach (var seq in _inFlight.Keys.Where(s => s >= from && s <= to).ToList())
            {
                _inFlight.Remove(seq);
            }
        }
    }

    private void OnConnected()
    {
        lock (_gate)
        {
            // Acks for what was in flight may have been lost with the link: send everything unacknowledged again.
            _inFlight.Clear();
            _cursor = 0;
            _retryAfter = DateTimeOffset.MinValue;
        }

        _signal.Notify();
    }

    private void OnMessage(KitChannel channel, byte[] payload)
    {
        if (channel == KitChannel.Acks)
        {
            HandleAck(payload);
        }
    }
}
