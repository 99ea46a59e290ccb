using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Contracts.Provisioning;

/// <summary>Kit to hub, <c>POST /provisioning/claims</c>: "I am the kit with this code; have I been enrolled?"</summary>
public sealed record ClaimPoll
{
    private readonly IReadOnlyList<ClaimSensor> _sensors = [];

    public required string ClaimCode { get; init; }

    public required string ClaimSecret { get; init; }

    public required string SoftwareVersion { get; init; }

    public IReadOnlyList<ClaimSensor> Sensors { get => _sensors; init => _sensors = value ?? []; }
}

/// <summary>A sensor as wired on the kit, reported so the installer sees what will be registered.</summary>
public sealed record ClaimSensor(string SensorId, SensorKind Kind, string Room, string Purpose);

/// <summary>Values of <see cref="ClaimAnswer.Status"/>.</summary>
public static class ClaimStatuses
{
    public const string Waiting = "waiting";
    public const string Enrolled = "enrolled";
}

/// <summary>
/// Hub to kit: <c>202 { status: "waiting", retryAfterSeconds }</c> until an installer enrolled the code, then once
/// <c>200 { status: "enrolled", … }</c> with everything the kit needs to connect.
/// </summary>
public sealed record ClaimAnswer
{
    private readonly IReadOnlyList<SensorAssignment> _sensors = [];

    public required string Status { get; init; }

    public int? RetryAfterSeconds { get; init; }

    public string? KitId { get; init; }

    public ClaimBroker? Broker { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public ClaimTls? Tls { get; init; }

    public IReadOnlyList<SensorAssignment> Sensors { get => _sensors; init => _sensors = value ?? []; }

    public int? HeartbeatIntervalSeconds { get; init; }
}

public sealed record ClaimBroker(string Host, int Port, bool UseTls);

/// <summary>The hub's CA (to verify the broker) and, when the hub issues them, the kit's own client certificate and key.</summary>
public sealed record ClaimTls
{
    public required string CaCertificatePem { get; init; }

    public string? ClientCertificatePem { get; init; }

    public string? ClientKeyPem { get; init; }
}

/// <summary>An RFC 7807 problem body with the stable <see cref="Code"/> of <see cref="ClaimProblemCodes"/>.</summary>
public sealed record ClaimProblem
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? Code { get; init; }
}

/// <summary>Stable problem codes of the provisioning exchange and the installer API.</summary>
public static class ClaimProblemCodes
{
    public const string UnknownClaim = "unknown-claim";
    public const string ClaimUsed = "claim-used";
    public const string ClaimExpired = "claim-expired";
    public const string ClaimBoundElsewhere = "claim-bound-elsewhere";
    public const string InvalidClaim = "invalid-claim";
    public const string TooManyPolls = "too-many-polls";
}
