using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Signals;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Zigbee;

/// <summary>
/// A zigbee device's low battery or offline availability as a kit-maintenance signal (layer data-health, like a stale
/// sensor): for installers, never counted as the resident being inactive. Raised once, resolved when it passes.
/// </summary>
public sealed class ZigbeeMaintenance(SignalStore signals, IOptions<ZigbeeOptions> options, ILogger<ZigbeeMaintenance> logger)
{
    public async Task<ZigbeeSensorState> ReviewAsync(ZigbeeDevice device, KitRecord kit, ZigbeeSensorState sensor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(sensor);
        var threshold = options.Value.LowBatteryPercent;
        var result = sensor;
        var low = sensor.Battery is { } battery && battery < threshold;
        if (low && sensor.BatterySignalId is null)
        {
            var id = ZigbeeBridge.Invariant($"zigbee-battery-{kit.KitId}-{device.SensorId}-{now.ToUnixTimeSeconds()}");
            await signals.UpsertAsync(new Signal
            {
                SignalId = id,
                ResidentId = kit.ResidentId,
                Kind = SignalVocabulary.SensorStale,
                Layer = SignalVocabulary.DataHealth,
                Severity = "this-week",
                RaisedAt = now,
                UpdatedAt = now,
                Since = now,
                Title = "Batterij van sensor bijna leeg",
                Reason = ZigbeeBridge.Invariant($"De batterij van sensor {device.SensorId}{Room(device)} staat op {sensor.Battery:0} % (onder {threshold:0} %). Dit zegt niets over de bewoner: de batterij moet worden vervangen."),
                TodayValue = ZigbeeBridge.Invariant($"{sensor.Battery:0} %"),
                NormalRange = ZigbeeBridge.Invariant($"minstens {threshold:0} %"),
                Sensors = [device.SensorId],
                Question = "Kan een installateur de batterij van de sensor vervangen?",
                Evidence = [ZigbeeBridge.Invariant($"zigbee2mqtt-apparaat {device.Device}: batterij {sensor.Battery:0} % om {now:O}")],
            }, cancellationToken);
            logger.LogWarning("Zigbee device {Device} (kit {Kit}, sensor {Sensor}) has a low battery: {Battery} %.", device.Device, kit.KitId, device.SensorId, sensor.Battery);
            result = result with { BatterySignalId = id };
        }
        else if (!low && sensor.Battery is not null && sensor.BatterySignalId is { } open)
        {
            await ResolveAsync(open, now, cancellationToken);
            result = result with { BatterySignalId = null };
        }

        if (sensor.Online == false && sensor.OfflineSignalId is null)
        {
            var id = ZigbeeBridge.Invariant($"zigbee-offline-{kit.KitId}-{device.SensorId}-{now.ToUnixTimeSeconds()}");
            await signals.UpsertAsync(new Signal
            {
                SignalId = id,
                ResidentId = kit.ResidentId,
                Kind = SignalVocabulary.SensorStale,
                Layer = SignalVocabulary.DataHealth,
                Severity = "today",
                RaisedAt = now,
                UpdatedAt = now,
                Since = sensor.LastSeen ?? now,
                Title = "Sensor geeft geen signaal",
                Reason = ZigbeeBridge.Invariant($"Zigbee-sensor {device.SensorId}{Room(device)} is volgens zigbee2mqtt niet bereikbaar. Dit zegt niets over de bewoner: de sensor moet worden nagekeken."),
                Sensors = [device.SensorId],
                Question = "Kan een installateur de batterij, het bereik en de koppeling van de sensor nakijken?",
                Evidence = [ZigbeeBridge.Invariant($"zigbee2mqtt-apparaat {device.Device}: offline om {now:O}")],
            }, cancellationToken);
            logger.LogWarning("Zigbee device {Device} (kit {Kit}, sensor {Sensor}) is offline.", device.Device, kit.KitId, device.SensorId);
            result = result with { OfflineSignalId = id };
        }
        else if (sensor.Online == true && sensor.OfflineSignalId is { } open)
        {
            await ResolveAsync(open, now, cancellationToken);
            result = result with { OfflineSignalId = null };
        }

        return result;
    }

    private async Task ResolveAsync(string signalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await signals.FindAsync(signalId, cancellationToken) is { ResolvedAt: null } open)
        {
            await signals.UpsertAsync(open with { UpdatedAt = now, ResolvedAt = now }, cancellationToken);
        }
    }

    private static string Room(ZigbeeDevice device) => device.Room is null ? string.Empty : $" ({device.Room})";
}
