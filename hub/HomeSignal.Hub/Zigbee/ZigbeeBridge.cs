using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Zigbee;

/// <summary>What became of one zigbee2mqtt message.</summary>
public enum ZigbeeOutcome
{
    /// <summary>A state change: an event was recorded and handed to ingestion.</summary>
    Emitted,

    /// <summary>Nothing new for the resident's sensors (a repeated report, health only, availability, bridge state).</summary>
    NoChange,

    Rejected,
}

/// <summary>
/// Turns zigbee2mqtt device reports into the same <see cref="SensorEvent"/> records real kits produce, as sensors of
/// virtual kits: an event only when a sensor's state changes (zigbee2mqtt repeats the full state on every report),
/// numbered with the virtual kit's durable boot and sequence so deduplication and storage work unchanged. Battery,
/// link quality and availability go to kit health; a low battery or an offline device is a kit-maintenance signal,
/// never resident inactivity. Messages are handled one at a time.
/// </summary>
public sealed partial class ZigbeeBridge(
    IOptions<ZigbeeOptions> options,
    ZigbeeStateStore store,
    KitRegistry kits,
    KitHealthTracker health,
    ZigbeeMaintenance maintenance,
    IngestionPipeline pipeline,
    IngestStats stats,
    TimeProvider time,
    ILogger<ZigbeeBridge> logger) : IDisposable
{
    private readonly ZigbeeOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ZigbeeKitState> _kits = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Kit, string Sensor), ZigbeeSensorState> _sensors = [];
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private bool? _bridgeOnline;

    private string Base => _options.BaseTopic;

    public void Dispose() => _gate.Dispose();

    /// <summary>The exact topics the hub subscribes to: each mapped device, its availability, and the bridge's state.</summary>
    public IReadOnlyList<string> TopicFilters =>
        [.. _options.Devices.SelectMany(d => new[] { $"{Base}/{d.Device}", $"{Base}/{d.Device}/availability" }), $"{Base}/bridge/state"];

    /// <summary>Whether zigbee2mqtt last said it is online (null: not heard yet).</summary>
    public bool? BridgeOnline => _bridgeOnline;

    /// <summary>Loads the durable state, adds the mapped sensors to the virtual kits' registrations, and replays pending events.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var kit in store.LoadKits())
            {
                _kits[kit.KitId] = kit;
            }

            foreach (var sensor in store.LoadSensors())
            {
                _sensors[(sensor.KitId, sensor.SensorId)] = sensor;
            }

            await RegisterSensorsAsync(cancellationToken);
            var pending = store.LoadOutbox();
            foreach (var (change, receivedAt) in pending)
            {
                // Stored already or not: the event store deduplicates on (kit, boot, seq).
                await EnqueueAsync(change, receivedAt, _ => Task.CompletedTask, cancellationToken);
            }

            if (pending.Count > 0)
            {
                logger.LogInformation("Replayed {Count} zigbee events recorded before a restart but not yet confirmed stored.", pending.Count);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Forgets what the hub knew of these virtual kits' devices, in memory and on disk (the resident was decommissioned).
    /// A device still mapped to such a kit in the configuration starts afresh when it reports again.
    /// </summary>
    public async Task ForgetKitsAsync(IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kitIds);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await store.DeleteKitsAsync(kitIds, cancellationToken);
            foreach (var kitId in kitIds)
            {
                _kits.Remove(kitId);
            }

            foreach (var key in _sensors.Keys.Where(k => kitIds.Contains(k.Kit)).ToList())
            {
                _sensors.Remove(key);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Handles one message. <paramref name="settle"/> (the MQTT acknowledgement) is called exactly once: at once when
    /// there is nothing to store, or after the durable write of the event.
    /// </summary>
    public async Task<ZigbeeOutcome> HandleAsync(string topic, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, Func<CancellationToken, Task> settle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(settle);
        var outcome = ZigbeeOutcome.Rejected;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            outcome = await InspectAsync(topic, payload, receivedAt, settle, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A crash is a bug; it must not stop ingestion. The message is refused and counted.
            logger.LogError(ex, "Unexpected failure handling zigbee2mqtt message on {Topic}.", topic);
            Refuse("zigbee-internal-error", topic, ex.Message);
        }
        finally
        {
            _gate.Release();
        }

        if (outcome != ZigbeeOutcome.Emitted)
        {
            await settle(cancellationToken);
        }

        return outcome;
    }

    private async Task<ZigbeeOutcome> InspectAsync(string topic, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, Func<CancellationToken, Task> settle, CancellationToken cancellationToken)
    {
        if (!topic.StartsWith(Base + "/", StringComparison.Ordinal))
        {
            return Refuse(ZigbeePayload.UnknownDevice, topic, "not under the zigbee2mqtt base topic");
        }

        var rest = topic[(Base.Length + 1)..];
        if (rest == "bridge/state")
        {
            var (online, error) = ZigbeePayload.ReadAvailability(payload.Span, _options.MaxPayloadBytes);
            if (error is not null)
            {
                return Refuse(error.Code, topic, error.Message);
            }

            if (_bridgeOnline != online)
            {
                logger.LogInformation("zigbee2mqtt reports itself {State}.", online == true ? "online" : "offline");
            }

            _bridgeOnline = online;
            return ZigbeeOutcome.NoChange;
        }

        var availability = rest.EndsWith("/availability", StringComparison.Ordinal);
        var name = availability ? rest[..^"/availability".Length] : rest;
        var device = _options.Devices.FirstOrDefault(d => string.Equals(d.Device, name, StringComparison.Ordinal));
        if (device is null)
        {
            return Refuse(ZigbeePayload.UnknownDevice, topic, $"device '{Truncate(name)}' is not in Zigbee:Devices");
        }

        if (kits.Find(device.KitId) is not { IsRevoked: false } kit)
        {
            return Refuse(ZigbeePayload.UnknownKit, topic, $"virtual kit '{device.KitId}' is not registered at this hub (or revoked)");
        }

        if (!kit.Sensors.Any(s => s.SensorId == device.SensorId && s.Kind == device.Kind))
        {
            // The kit was registered after the hub started: its zigbee sensors join its registration now.
            await RegisterSensorsAsync(cancellationToken);
        }

        if (availability)
        {
            var (online, error) = ZigbeePayload.ReadAvailability(payload.Span, _options.MaxPayloadBytes);
            if (error is not null)
            {
                return Refuse(error.Code, topic, error.Message);
            }

            await OnAvailabilityAsync(device, online!.Value, receivedAt, cancellationToken);
            return ZigbeeOutcome.NoChange;
        }

        var (report, problem) = ZigbeePayload.ReadReport(payload.Span, _options.MaxPayloadBytes);
        if (problem is not null)
        {
            return Refuse(problem.Code, topic, problem.Message);
        }

        return await OnReportAsync(device, report!, receivedAt, settle, cancellationToken);
    }

    private async Task<ZigbeeOutcome> OnReportAsync(ZigbeeDevice device, ZigbeeReport report, DateTimeOffset receivedAt, Func<CancellationToken, Task> settle, CancellationToken cancellationToken)
    {
        var before = Sensor(device);
        var after = before with
        {
            LastSeen = receivedAt,
            Battery = report.Battery ?? before.Battery,
            LinkQuality = report.LinkQuality ?? before.LinkQuality,
            Online = true,
        };
        after = await maintenance.ReviewAsync(device, kits.Find(device.KitId)!, after, receivedAt, cancellationToken);

        // contact=true means the magnet is near the reed: closed.
        var state = device.IsContact
            ? report.Contact is { } contact ? (contact ? SensorStates.Closed : SensorStates.Open) : null
            : report.Occupancy is { } occupied ? (occupied ? SensorStates.Active : SensorStates.Inactive) : null;

        if (state is null || state == before.State || before.State is null)
        {
            // No state, the same state again, or the first state ever seen (a baseline, not a change).
            after = after with { State = state ?? before.State, ChangedAt = before.State is null && state is not null ? receivedAt : before.ChangedAt };
            if (HealthChanged(before, after))
            {
                await store.SaveSensorAsync(after, cancellationToken);
            }

            _sensors[(device.KitId, device.SensorId)] = after;
            return ZigbeeOutcome.NoChange;
        }

        var kit = await KitAsync(device.KitId, cancellationToken);
        var change = new SensorEvent
        {
            KitId = device.KitId,
            BootId = kit.BootId,
            Seq = kit.NextSeq,
            SensorId = device.SensorId,
            Kind = device.Kind,
            State = state,
            Ts = receivedAt,
            ClockSynced = true,
        };
        after = after with { State = state, ChangedAt = receivedAt };
        var next = kit with { NextSeq = kit.NextSeq + 1 };

        // Durable before it is handed on: a restart replays it rather than forgetting or renumbering it.
        await store.RecordChangeAsync(next, after, change, receivedAt, cancellationToken);
        _kits[kit.KitId] = next;
        _sensors[(device.KitId, device.SensorId)] = after;
        await EnqueueAsync(change, receivedAt, settle, cancellationToken);
        return ZigbeeOutcome.Emitted;
    }

    private async Task OnAvailabilityAsync(ZigbeeDevice device, bool online, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var before = Sensor(device);
        var after = before with { Online = online, LastSeen = online ? receivedAt : before.LastSeen };
        after = await maintenance.ReviewAsync(device, kits.Find(device.KitId)!, after, receivedAt, cancellationToken);
        if (HealthChanged(before, after))
        {
            await store.SaveSensorAsync(after, cancellationToken);
        }

        _sensors[(device.KitId, device.SensorId)] = after;
    }

    private Task EnqueueAsync(SensorEvent change, DateTimeOffset receivedAt, Func<CancellationToken, Task> settle, CancellationToken cancellationToken) =>
        pipeline.EnqueueAsync(new IngestItem(change.KitId, new EventToStore(change, receivedAt), null, async ct =>
        {
            await store.RemoveFromOutboxAsync(change.KitId, change.BootId, change.Seq, ct);
            await settle(ct);
        }), cancellationToken).AsTask();

    private async Task<ZigbeeKitState> KitAsync(string kitId, CancellationToken cancellationToken)
    {
        if (!_kits.TryGetValue(kitId, out var kit))
        {
            // A virtual kit boots once, the first time one of its devices changes; its sequence then runs on for good.
            kit = new ZigbeeKitState(kitId, Guid.NewGuid().ToString("N"), 1);
            await store.SaveKitAsync(kit, cancellationToken);
            _kits[kitId] = kit;
        }

        return kit;
    }

    private ZigbeeSensorState Sensor(ZigbeeDevice device) =>
        _sensors.TryGetValue((device.KitId, device.SensorId), out var s) ? s
            : new ZigbeeSensorState(device.KitId, device.SensorId, null, null, null, null, null, null, null, null);

    /// <summary>Link quality and last-seen alone change on every report: they are kept in memory, not rewritten each time.</summary>
    private static bool HealthChanged(ZigbeeSensorState before, ZigbeeSensorState after) =>
        before.State != after.State || before.Battery != after.Battery || before.Online != after.Online
        || before.BatterySignalId != after.BatterySignalId || before.OfflineSignalId != after.OfflineSignalId;

    private async Task RegisterSensorsAsync(CancellationToken cancellationToken)
    {
        foreach (var group in _options.Devices.GroupBy(d => d.KitId, StringComparer.Ordinal))
        {
            if (kits.Find(group.Key) is not { } kit)
            {
                logger.LogError("Zigbee:Devices maps devices to kit '{Kit}', which is not registered at this hub: register it (POST /api/kits) and bind it to the resident. Its reports are refused until then.", group.Key);
                continue;
            }

            var mapped = group.Select(d => new SensorRecord(d.SensorId, d.Kind, d.Room, d.Purpose)).ToList();
            var merged = kit.Sensors.Where(s => mapped.All(m => m.SensorId != s.SensorId)).Concat(mapped).OrderBy(s => s.SensorId, StringComparer.Ordinal).ToList();
            if (!merged.SequenceEqual(kit.Sensors.OrderBy(s => s.SensorId, StringComparer.Ordinal)))
            {
                await kits.SetSensorsAsync(kit.KitId, merged, cancellationToken);
                logger.LogInformation("Registered the zigbee sensors of virtual kit {Kit}: {Sensors}.", kit.KitId, string.Join(", ", mapped.Select(m => m.SensorId)));
            }
        }
    }

    private ZigbeeOutcome Refuse(string code, string topic, string message)
    {
        stats.CountRejected(code);
        logger.LogWarning("Rejected zigbee2mqtt message on {Topic}: {Code}: {Message}", Truncate(topic), code, message);
        return ZigbeeOutcome.Rejected;
    }

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..120] + "…";

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
