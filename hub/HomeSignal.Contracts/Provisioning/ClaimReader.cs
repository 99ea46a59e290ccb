using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;

namespace HomeSignal.Contracts.Provisioning;

/// <summary>
/// Parses and validates the provisioning exchange in the style of <see cref="ContractReader"/>: never throws on bad
/// input, every refusal is a <see cref="ContractError"/> with a stable code and a sentence.
/// </summary>
public static class ClaimReader
{
    /// <summary>Largest accepted claim poll.</summary>
    public const int MaxPollBytes = 16 * 1024;

    /// <summary>Largest accepted answer (it may carry a certificate chain and a key).</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    public const int MaxSensors = 32;

    public static ContractResult<ClaimPoll> ReadPoll(ReadOnlySpan<byte> payload)
    {
        var result = Parse(payload, MaxPollBytes, ContractJsonContext.Default.ClaimPoll);
        if (!result.IsValid)
        {
            return result;
        }

        var poll = result.Value!;
        if (!ClaimCode.TryNormalize(poll.ClaimCode, out var code))
        {
            return Fail<ClaimPoll>(ContractErrorCodes.InvalidValue, "claimCode must be 10 characters of Crockford base32, e.g. 7K3M-Q9TX-2B.");
        }

        if (!ClaimSecret.IsValid(poll.ClaimSecret))
        {
            return Fail<ClaimPoll>(ContractErrorCodes.InvalidValue, "claimSecret must be 32 random bytes in base64url (43 characters).");
        }

        if (string.IsNullOrWhiteSpace(poll.SoftwareVersion) || poll.SoftwareVersion.Length > 64)
        {
            return Fail<ClaimPoll>(ContractErrorCodes.InvalidValue, "softwareVersion is required and at most 64 characters.");
        }

        if (poll.Sensors.Count > MaxSensors)
        {
            return Fail<ClaimPoll>(ContractErrorCodes.InvalidValue, $"A kit reports at most {MaxSensors} sensors.");
        }

        foreach (var s in poll.Sensors)
        {
            if (s is null || !KitId.IsValidSensorId(s.SensorId))
            {
                return Fail<ClaimPoll>(ContractErrorCodes.InvalidSensorId, "Each sensor id must be 1–64 lower-case letters, digits or dashes.");
            }

            if (!Enum.IsDefined(s.Kind) || s.Kind == SensorKind.Kit)
            {
                return Fail<ClaimPoll>(ContractErrorCodes.InvalidValue, $"Sensor '{s.SensorId}' has no valid kind (door, motion, mailbox-flap, mailbox-door or button).");
            }

            if (string.IsNullOrWhiteSpace(s.Room) || string.IsNullOrWhiteSpace(s.Purpose) || s.Room.Length > 64 || s.Purpose.Length > 64)
            {
                return Fail<ClaimPoll>(ContractErrorCodes.InvalidValue, $"Sensor '{s.SensorId}' needs a room and a purpose (at most 64 characters each).");
            }
        }

        if (poll.Sensors.Select(s => s.SensorId).Distinct(StringComparer.Ordinal).Count() != poll.Sensors.Count)
        {
            return Fail<ClaimPoll>(ContractErrorCodes.InvalidSensorId, "Each sensor id may appear once.");
        }

        return ContractResult<ClaimPoll>.Ok(poll with { ClaimCode = code });
    }

    public static ContractResult<ClaimAnswer> ReadAnswer(ReadOnlySpan<byte> payload)
    {
        var result = Parse(payload, MaxAnswerBytes, ContractJsonContext.Default.ClaimAnswer);
        if (!result.IsValid)
        {
            return result;
        }

        var answer = result.Value!;
        switch (answer.Status)
        {
            case ClaimStatuses.Waiting:
                return answer.RetryAfterSeconds is null or (>= 1 and <= 3600)
                    ? result
                    : Fail<ClaimAnswer>(ContractErrorCodes.InvalidValue, "retryAfterSeconds must be 1–3600.");
            case ClaimStatuses.Enrolled:
                break;
            default:
                return Fail<ClaimAnswer>(ContractErrorCodes.InvalidValue, $"Status '{answer.Status}' is unknown; expected waiting or enrolled.");
        }

        if (!KitId.IsValid(answer.KitId))
        {
            return Fail<ClaimAnswer>(ContractErrorCodes.InvalidKitId, "The enrolled answer has no valid kitId.");
        }

        if (answer.Broker is not { } broker || string.IsNullOrWhiteSpace(broker.Host) || broker.Port is < 1 or > 65535)
        {
            return Fail<ClaimAnswer>(ContractErrorCodes.MissingField, "The enrolled answer needs broker.host and a broker.port of 1–65535.");
        }

        if (string.IsNullOrWhiteSpace(answer.Username) || string.IsNullOrEmpty(answer.Password))
        {
            return Fail<ClaimAnswer>(ContractErrorCodes.MissingField, "The enrolled answer needs the kit's username and password.");
        }

        if (answer.Tls is { } tls && (!tls.CaCertificatePem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal)
            || (tls.ClientCertificatePem is null) != (tls.ClientKeyPem is null)))
        {
            return Fail<ClaimAnswer>(ContractErrorCodes.InvalidValue, "tls needs a PEM CA certificate, and a client certificate only together with its key.");
        }

        if (answer.HeartbeatIntervalSeconds is < 5 or > 3600)
        {
            return Fail<ClaimAnswer>(ContractErrorCodes.InvalidValue, "heartbeatIntervalSeconds must be 5–3600.");
        }

        return answer.Sensors.Any(s => !KitId.IsValidSensorId(s.SensorId))
            ? Fail<ClaimAnswer>(ContractErrorCodes.InvalidSensorId, "A sensor id in the answer is not valid.")
            : result;
    }

    /// <summary>Reads a problem body (4xx answers); a body that is not one yields null.</summary>
    public static ClaimProblem? ReadProblem(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload.Length > MaxPollBytes)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(payload, ContractJsonContext.Default.ClaimProblem);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] Write(ClaimPoll value) => ContractReader.Write(value, ContractJsonContext.Default.ClaimPoll);

    public static byte[] Write(ClaimAnswer value) => ContractReader.Write(value, ContractJsonContext.Default.ClaimAnswer);

    private static ContractResult<T> Parse<T>(ReadOnlySpan<byte> payload, int maxBytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (payload.IsEmpty)
        {
            return Fail<T>(ContractErrorCodes.Empty, "The body is empty.");
        }

        if (payload.Length > maxBytes)
        {
            return Fail<T>(ContractErrorCodes.Oversize, $"The body is {payload.Length} bytes; at most {maxBytes} are accepted.");
        }

        try
        {
            var value = JsonSerializer.Deserialize(payload, typeInfo);
            return value is null ? Fail<T>(ContractErrorCodes.MalformedJson, "The body is JSON null, not an object.") : ContractResult<T>.Ok(value);
        }
        catch (JsonException ex)
        {
            var message = ex.Message.Split(". Path:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.');
            var code = message.Contains("required", StringComparison.OrdinalIgnoreCase) || message.Contains("missing", StringComparison.OrdinalIgnoreCase)
                ? ContractErrorCodes.MissingField
                : message.Contains("could not be converted", StringComparison.OrdinalIgnoreCase) || message.Contains("null", StringComparison.OrdinalIgnoreCase)
                    ? ContractErrorCodes.WrongType
                    : ContractErrorCodes.MalformedJson;
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" at {ex.Path}";
            return Fail<T>(code, $"The body is not valid{path}: {message}.");
        }
    }

    private static ContractResult<T> Fail<T>(string code, string message)
        where T : class => ContractResult<T>.Fail(code, message);
}
