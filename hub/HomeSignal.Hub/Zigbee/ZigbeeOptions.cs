using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Zigbee;

/// <summary>Configuration section <c>Zigbee</c>: optional ingestion of zigbee2mqtt devices as sensors of virtual kits.</summary>
public sealed class ZigbeeOptions : IValidatedOptions
{
    public const string Section = "Zigbee";

    public bool Enabled { get; set; }

    /// <summary>zigbee2mqtt's <c>mqtt.base_topic</c>.</summary>
    public string BaseTopic { get; set; } = "zigbee2mqtt";

    /// <summary>Where the last state per sensor, the virtual kits' boot and sequence and the pending events are kept (default: beside the event store).</summary>
    public string? StatePath { get; set; }

    /// <summary>A battery below this percentage becomes a kit-maintenance signal.</summary>
    public double LowBatteryPercent { get; set; } = 20;

    /// <summary>Largest accepted zigbee2mqtt payload.</summary>
    public int MaxPayloadBytes { get; set; } = 4096;

    /// <summary>How often the hub vouches for its virtual kits while zigbee2mqtt is online (their heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// zigbee2mqtt's own MQTT account at the embedded broker (and in mosquitto's files): it may publish and subscribe only
    /// under <see cref="BaseTopic"/>. Unset: zigbee2mqtt cannot connect to the embedded broker.
    /// </summary>
    public string? Username { get; set; }

    /// <summary>The password hash of <see cref="Username"/> in mosquitto's <c>$7$</c> format (never the password itself).</summary>
    public string? PasswordHash { get; set; }

    public List<ZigbeeDevice> Devices { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(BaseTopic) || BaseTopic.IndexOfAny(['+', '#']) >= 0 || BaseTopic.StartsWith('/') || BaseTopic.EndsWith('/')
            || BaseTopic.StartsWith('$') || BaseTopic.StartsWith(KitTopics.Root, StringComparison.Ordinal))
        {
            yield return "Zigbee:BaseTopic is required, may not contain '+' or '#', start with '$' or '/', end with '/', or lie in the kit topic tree.";
        }

        if (LowBatteryPercent is < 0 or > 100 || double.IsNaN(LowBatteryPercent))
        {
            yield return "Zigbee:LowBatteryPercent must be 0–100.";
        }

        if (MaxPayloadBytes is < 256 or > 1024 * 1024)
        {
            yield return "Zigbee:MaxPayloadBytes must be 256–1048576.";
        }

        if (HeartbeatInterval < TimeSpan.FromSeconds(1) || HeartbeatInterval > TimeSpan.FromHours(1))
        {
            yield return "Zigbee:HeartbeatInterval must be 00:00:01–01:00:00.";
        }

        if ((Username is null) != (PasswordHash is null))
        {
            yield return "Zigbee:Username and Zigbee:PasswordHash go together.";
        }
        else if (Username is not null && (Username.Length == 0 || Username.IndexOfAny(['+', '#', '/', ':', ' ']) >= 0 || KitId.IsValid(Username)))
        {
            // Kit ids are kit usernames: an account name that could be a kit id might one day shadow a kit.
            yield return "Zigbee:Username may not contain '+', '#', '/', ':' or spaces, and must not look like a kit id (use e.g. 'zigbee2mqtt_bridge').";
        }
        else if (PasswordHash is not null && !PasswordHash.StartsWith("$7$", StringComparison.Ordinal))
        {
            yield return "Zigbee:PasswordHash must be a mosquitto $7$ hash (mosquitto_passwd), not a password.";
        }

        if (Devices.Count == 0)
        {
            yield return "Zigbee:Devices must map at least one device when Zigbee:Enabled is true.";
        }

        for (var i = 0; i < Devices.Count; i++)
        {
            foreach (var error in Devices[i].Validate($"Zigbee:Devices:{i}"))
            {
                yield return error;
            }
        }

        foreach (var name in Devices.GroupBy(d => d.Device, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return $"Zigbee:Devices lists device '{name}' more than once.";
        }

        foreach (var sensor in Devices.GroupBy(d => (d.KitId, d.SensorId)).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return $"Zigbee:Devices maps two devices to sensor '{sensor.SensorId}' of kit '{sensor.KitId}'.";
        }
    }
}

/// <summary>One zigbee2mqtt device as a sensor of a virtual kit (a kit registered at the hub and bound to a resident).</summary>
public sealed class ZigbeeDevice
{
    /// <summary>zigbee2mqtt's friendly name (the topic is <c>{BaseTopic}/{Device}</c>).</summary>
    public string Device { get; set; } = string.Empty;

    public string KitId { get; set; } = string.Empty;

    public string SensorId { get; set; } = string.Empty;

    /// <summary>Door, Motion, MailboxFlap or MailboxDoor.</summary>
    public SensorKind Kind { get; set; } = SensorKind.Door;

    public string? Room { get; set; }

    public string? Purpose { get; set; }

    /// <summary>Whether the device reports <c>contact</c> (true means closed) rather than <c>occupancy</c>.</summary>
    public bool IsContact => Kind is SensorKind.Door or SensorKind.MailboxFlap or SensorKind.MailboxDoor;

    public IEnumerable<string> Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(Device) || Device.IndexOfAny(['+', '#']) >= 0 || Device.StartsWith('/') || Device.EndsWith('/')
            || Device.EndsWith("/availability", StringComparison.Ordinal) || Device.StartsWith("bridge", StringComparison.Ordinal) || Device.Length > 200)
        {
            yield return $"{key}:Device must be a zigbee2mqtt friendly name (no '+' or '#', not starting or ending with '/', not 'bridge…', at most 200 characters).";
        }

        if (!Contracts.Topics.KitId.IsValid(KitId))
        {
            yield return $"{key}:KitId must be a kit id (3–64 lower-case letters, digits or dashes) of a kit registered at the hub.";
        }

        if (!Contracts.Topics.KitId.IsValidSensorId(SensorId) || SensorId == SensorStates.KitSensorId)
        {
            yield return $"{key}:SensorId must be 1–64 lower-case letters, digits or dashes (not 'kit').";
        }

        if (!IsContact && Kind != SensorKind.Motion)
        {
            yield return $"{key}:Kind must be Door, Motion, MailboxFlap or MailboxDoor.";
        }
    }
}
