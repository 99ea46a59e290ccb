using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;

namespace HomeSignal.Contracts.Serialization;

/// <summary>
/// Parses and validates v1 payloads. Never throws on bad input: every refusal comes back as a
/// <see cref="ContractError"/> with a stable code and a sentence that says what was wrong.
/// </summary>
public static class ContractReader
{
    /// <summary>Largest accepted event, status, ack or command payload.</summary>
    public const int MaxEventBytes = 2 * 1024;

    /// <summary>Largest accepted heartbeat or config payload (they list sensors).</summary>
    public const int MaxHealthBytes = 16 * 1024;

    public static ContractResult<SensorEvent> ReadEvent(ReadOnlySpan<byte> payload, string topicKitId) =>
        Read(payload, MaxEventBytes, ContractJsonContext.Default.SensorEvent, topicKitId, e => e.KitId, ValidateEvent);

    public static ContractResult<Heartbeat> ReadHeartbeat(ReadOnlySpan<byte> payload, string topicKitId) =>
        Read(payload, MaxHealthBytes, ContractJsonContext.Default.Heartbeat, topicKitId, h => h.KitId, ValidateHeartbeat);

    public static ContractResult<KitStatus> ReadStatus(ReadOnlySpan<byte> payload, string topicKitId) =>
        Read(payload, MaxEventBytes, ContractJsonContext.Default.KitStatus, topicKitId, s => s.KitId, s => ValidateBootId(s.BootId));

    public static ContractResult<HubAck> ReadAck(ReadOnlySpan<byte> payload, string topicKitId) =>
        Read(payload, MaxHealthBytes, ContractJsonContext.Default.HubAck, topicKitId, a => a.KitId, ValidateAck);

    public static ContractResult<KitConfig> ReadConfig(ReadOnlySpan<byte> payload, string topicKitId) =>
        Read(payload, MaxHealthBytes, ContractJsonContext.Default.KitConfig, topicKitId, c => c.KitId, ValidateConfig);

    public static ContractResult<KitCommand> ReadCommand(ReadOnlySpan<byte> payload, string topicKitId) =>
        Read(payload, MaxEventBytes, ContractJsonContext.Default.KitCommand, topicKitId, c => c.KitId, ValidateCommand);

    public static byte[] Write<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    public static byte[] Write(SensorEvent value) => Write(value, ContractJsonContext.Default.SensorEvent);

    public static byte[] Write(Heartbeat value) => Write(value, ContractJsonContext.Default.Heartbeat);

    public static byte[] Write(KitStatus value) => Write(value, ContractJsonContext.Default.KitStatus);

    public static byte[] Write(HubAck value) => Write(value, ContractJsonContext.Default.HubAck);

    public static byte[] Write(KitConfig value) => Write(value, ContractJsonContext.Default.KitConfig);

    public static byte[] Write(KitCommand value) => Write(value, ContractJsonContext.Default.KitCommand);

    /// <summary>Boot ids are 32 lower-case hex characters (a GUID without dashes).</summary>
    public static bool IsValidBootId(string? bootId) =>
        bootId is { Length: 32 } && bootId.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static ContractResult<T> Read<T>(
        ReadOnlySpan<byte> payload,
        int maxBytes,
        JsonTypeInfo<T> typeInfo,
        string topicKitId,
        Func<T, string> kitIdOf,
        Func<T, ContractError?> validate)
        where T : class
    {
        if (payload.IsEmpty)
        {
            return ContractResult<T>.Fail(ContractErrorCodes.Empty, "The payload is empty.");
        }

        if (payload.Length > maxBytes)
        {
            return ContractResult<T>.Fail(ContractErrorCodes.Oversize, $"The payload is {payload.Length} bytes; at most {maxBytes} are accepted.");
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize(payload, typeInfo);
        }
        catch (JsonException ex)
        {
            return ContractResult<T>.Fail(Classify(ex), Describe(ex));
        }

        if (value is null)
        {
            return ContractResult<T>.Fail(ContractErrorCodes.MalformedJson, "The payload is JSON null, not an object.");
        }

        var kitId = kitIdOf(value);
        if (!KitId.IsValid(kitId))
        {
            return ContractResult<T>.Fail(ContractErrorCodes.InvalidKitId, "The kit id must be 3–64 lower-case letters, digits or dashes.");
        }

        if (!string.Equals(kitId, topicKitId, StringComparison.Ordinal))
        {
            return ContractResult<T>.Fail(ContractErrorCodes.KitIdMismatch, $"The payload names kit '{kitId}' but was published on the topic of kit '{topicKitId}'.");
        }

        var error = VersionError(value) ?? validate(value);
        return error is null ? ContractResult<T>.Ok(value) : new ContractResult<T>(null, error);
    }

    private static ContractError? VersionError(object value)
    {
        var version = value switch
        {
            SensorEvent e => e.V,
            Heartbeat h => h.V,
            KitStatus s => s.V,
            HubAck a => a.V,
            KitConfig c => c.V,
            KitCommand c => c.V,
            _ => ContractVersion.Current,
        };
        if (version == 0)
        {
            return new ContractError(ContractErrorCodes.MissingField, "The payload has no contract version ('v').");
        }

        return version == ContractVersion.Current
            ? null
            : new ContractError(ContractErrorCodes.UnsupportedVersion, $"Contract version {version} is not supported; this hub speaks v{ContractVersion.Current}.");
    }

    private static ContractError? ValidateEvent(SensorEvent e)
    {
        if (ValidateBootId(e.BootId) is { } bootError)
        {
            return bootError;
        }

        if (e.Seq < 0)
        {
            return new ContractError(ContractErrorCodes.InvalidSequence, $"The sequence number {e.Seq} is negative.");
        }

        if (!KitId.IsValidSensorId(e.SensorId))
        {
            return new ContractError(ContractErrorCodes.InvalidSensorId, "The sensor id must be 1–64 lower-case letters, digits or dashes.");
        }

        if (!Enum.IsDefined(e.Kind))
        {
            return new ContractError(ContractErrorCodes.InvalidValue, "The sensor kind is unknown.");
        }

        if (!SensorStates.IsAllowed(e.Kind, e.State))
        {
            return new ContractError(ContractErrorCodes.InvalidState,
                $"State '{e.State}' is not valid for a {e.Kind} sensor; expected one of {string.Join(", ", SensorStates.AllowedFor(e.Kind))}.");
        }

        return null;
    }

    private static ContractError? ValidateHeartbeat(Heartbeat h)
    {
        if (ValidateBootId(h.BootId) is { } bootError)
        {
            return bootError;
        }

        if (h.IntervalSeconds is < 1 or > 3600)
        {
            return new ContractError(ContractErrorCodes.InvalidValue, $"The heartbeat interval {h.IntervalSeconds} s is outside 1–3600 s.");
        }

        if (h.UptimeSeconds < 0 || h.Outbox.Depth < 0 || h.Outbox.Bytes < 0)
        {
            return new ContractError(ContractErrorCodes.InvalidValue, "Uptime and outbox figures cannot be negative.");
        }

        if (h.CpuTemperatureCelsius is { } t && (double.IsNaN(t) || t is < -60 or > 150))
        {
            return new ContractError(ContractErrorCodes.InvalidValue, "The CPU temperature is not a plausible number.");
        }

        if (h.Sensors.Count > 64 || h.Flags.Count > 32)
        {
            return new ContractError(ContractErrorCodes.InvalidValue, "A heartbeat lists at most 64 sensors and 32 flags.");
        }

        return h.Sensors.Any(s => !KitId.IsValidSensorId(s.SensorId))
            ? new ContractError(ContractErrorCodes.InvalidSensorId, "A sensor id in the heartbeat is not valid.")
            : null;
    }

    private static ContractError? ValidateAck(HubAck a)
    {
        foreach (var range in a.Stored)
        {
            if (!IsValidBootId(range.BootId) || range.From < 0 || range.To < range.From)
            {
                return new ContractError(ContractErrorCodes.InvalidSequence, $"Ack range {range.From}–{range.To} is not valid.");
            }
        }

        return a.Rejected.Any(r => !IsValidBootId(r.BootId) || r.Seq < 0)
            ? new ContractError(ContractErrorCodes.InvalidSequence, "A rejected entry in the ack is not valid.")
            : null;
    }

    private static ContractError? ValidateConfig(KitConfig c)
    {
        if (c.HeartbeatIntervalSeconds is < 5 or > 3600)
        {
            return new ContractError(ContractErrorCodes.InvalidValue, "The heartbeat interval must be 5–3600 s.");
        }

        return c.Sensors.Any(s => !KitId.IsValidSensorId(s.SensorId))
            ? new ContractError(ContractErrorCodes.InvalidSensorId, "A sensor id in the config is not valid.")
            : null;
    }

    private static ContractError? ValidateCommand(KitCommand c) =>
        KitCommandNames.All.Contains(c.Name)
            ? null
            : new ContractError(ContractErrorCodes.InvalidValue, $"Command '{c.Name}' is unknown.");

    private static ContractError? ValidateBootId(string bootId) =>
        IsValidBootId(bootId)
            ? null
            : new ContractError(ContractErrorCodes.InvalidBootId, "The boot id must be 32 lower-case hexadecimal characters.");

    private static string Classify(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("required", StringComparison.OrdinalIgnoreCase) || message.Contains("missing", StringComparison.OrdinalIgnoreCase))
        {
            return ContractErrorCodes.MissingField;
        }

        if (message.Contains("could not be converted", StringComparison.OrdinalIgnoreCase) || message.Contains("null", StringComparison.OrdinalIgnoreCase))
        {
            return ContractErrorCodes.WrongType;
        }

        return ContractErrorCodes.MalformedJson;
    }

    private static string Describe(JsonException ex)
    {
        var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" at {ex.Path}";
        var first = ex.Message.Split(". Path:", 2)[0].Split(" Path:", 2)[0];
        return $"The payload is not a valid v1 message{path}: {first.TrimEnd('.')}.";
    }
}
