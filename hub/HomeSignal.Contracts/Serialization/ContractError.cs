namespace HomeSignal.Contracts.Serialization;

/// <summary>Why a payload was refused. <see cref="Code"/> is stable (for counters), <see cref="Message"/> is for people.</summary>
public sealed record ContractError(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Stable rejection codes, used as metric labels and in the hub's rejection log.</summary>
public static class ContractErrorCodes
{
    public const string Empty = "empty";
    public const string Oversize = "oversize";
    public const string MalformedJson = "malformed-json";
    public const string WrongType = "wrong-type";
    public const string MissingField = "missing-field";
    public const string UnsupportedVersion = "unsupported-version";
    public const string InvalidKitId = "invalid-kit-id";
    public const string KitIdMismatch = "kit-id-mismatch";
    public const string InvalidBootId = "invalid-boot-id";
    public const string InvalidSequence = "invalid-sequence";
    public const string InvalidSensorId = "invalid-sensor-id";
    public const string InvalidState = "invalid-state";
    public const string InvalidValue = "invalid-value";
    public const string UnknownTopic = "unknown-topic";
}

/// <summary>Either a valid payload or the reason it was refused.</summary>
public readonly record struct ContractResult<T>(T? Value, ContractError? Error)
    where T : class
{
    public bool IsValid => Error is null;

    public static ContractResult<T> Ok(T value) => new(value, null);

    public static ContractResult<T> Fail(string code, string message) => new(null, new ContractError(code, message));
}
