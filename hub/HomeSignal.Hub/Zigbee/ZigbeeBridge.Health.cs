using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Hub.Zigbee;

/// <summary>One mapped device as served on <c>/api/zigbee/devices</c>.</summary>
public sealed record ZigbeeDeviceView(
    string Device,
    string KitId,
    string SensorId,
    string Kind,
    string? State,
    DateTimeOffset? LastChange,
    double? Battery,
    bool BatteryLow,
    int? LinkQuality,
    string Availability,
    DateTimeOffset? LastSeen);

public sealed partial class ZigbeeBridge
{
    public const string BatteryLowFlag = "zigbee-battery-low";
    public const string DeviceOfflineFlag = "zigbee-device-offline";

    /// <summary>
    /// The virtual kits' heartbeat: while zigbee2mqtt is reachable, the hub vouches for each virtual kit through the same
    /// watchdog real kits feed. When zigbee2mqtt or the broker link goes away the heartbeats stop, and the watchdog marks
    /// the virtual kits offline after the usual missed intervals (a maintenance signal, not a quiet resident).
    /// </summary>
    public async Task BeatAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_bridgeOnline == false)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var depth = store.OutboxDepth();
            foreach (var group in _options.Devices.GroupBy(d => d.KitId, StringComparer.Ordinal))
            {
                if (kits.Find(group.Key) is not { IsRevoked: false })
                {
                    continue;
                }

                var sensors = group.Select(d => (Device: d, State: Sensor(d))).ToList();
                health.OnHeartbeat(new Heartbeat
                {
                    KitId = group.Key,
                    BootId = _kits.TryGetValue(group.Key, out var kit) ? kit.BootId : new string('0', 32),
                    Ts = now,
                    UptimeSeconds = (long)(now - _started).TotalSeconds,
                    IntervalSeconds = (int)_options.HeartbeatInterval.TotalSeconds,
                    ClockSynced = true,
                    Outbox = new OutboxHealth { Depth = depth, Bytes = 0, CapacityEvents = 0, CapacityBytes = 0 },
                    SoftwareVersion = "zigbee2mqtt-bridge",
                    Sensors = [.. sensors.Select(s => new SensorHealth { SensorId = s.Device.SensorId, Kind = s.Device.Kind, State = s.State.State, LastChange = s.State.ChangedAt })],
                    Flags =
                    [
                        .. sensors.Where(s => s.State.BatterySignalId is not null).Select(s => $"{BatteryLowFlag}:{s.Device.SensorId}"),
                        .. sensors.Where(s => s.State.Online == false).Select(s => $"{DeviceOfflineFlag}:{s.Device.SensorId}"),
                    ],
                }, now);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<ZigbeeDeviceView>> DevicesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return
            [
                .. _options.Devices.Select(d =>
                {
                    var s = Sensor(d);
                    return new ZigbeeDeviceView(d.Device, d.KitId, d.SensorId, Storage.SensorKinds.ToText(d.Kind), s.State, s.ChangedAt,
                        s.Battery, s.Battery is { } b && b < _options.LowBatteryPercent, s.LinkQuality,
                        s.Online switch { true => "online", false => "offline", null => "unknown" }, s.LastSeen);
                }),
            ];
        }
        finally
        {
            _gate.Release();
        }
    }
}
