using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Provisioning;

public sealed record ClaimView(string ClaimCode, string Status, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, IReadOnlyList<ClaimSensorView> Sensors, string? KitId, string? SoftwareVersion);

public sealed record ClaimSensorView(string SensorId, string Kind, string Room, string Purpose);

public sealed record EnrolmentView(string KitId, string ResidentId, string Stage, IReadOnlyList<ClaimSensorView> Sensors);

/// <summary>The hub's answer to a poll: the body and its status (200 enrolled, 202 waiting).</summary>
public sealed record PollOutcome(int Status, ClaimAnswer Answer);

/// <summary>
/// Claim → enrolment → collection → walk test → go-live, replacement and the stage rules. Refusals are
/// <see cref="ProvisioningException"/>s with stable codes. Enrolments are serialised: a code binds one kit.
/// </summary>
public sealed class KitEnrolment(
    ClaimStore claims,
    KitRegistry kits,
    ResidentRegistry residents,
    KitAdministration admin,
    WalkTests walkTests,
    KitCommands commands,
    BrokerEndpoint broker,
    IOptions<BrokerOptions> brokerOptions,
    IOptions<ProvisioningOptions> options,
    IClaimTlsIssuer tls,
    ClaimSources sources,
    ProvisioningStats stats,
    TimeProvider time,
    ILogger<KitEnrolment> logger) : IDisposable
{
    private readonly SemaphoreSlim _enrolGate = new(1, 1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastPoll = new(StringComparer.Ordinal);
    private ProvisioningOptions Options => options.Value;

    public void Dispose() => _enrolGate.Dispose();

    /// <summary>One kit poll (already validated by <see cref="ClaimReader.ReadPoll"/>).</summary>
    public async Task<PollOutcome> PollAsync(ClaimPoll poll, IPAddress? source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var now = time.GetUtcNow();
        var codeHash = ClaimStore.Hash(poll.ClaimCode);
        ThrottlePoll(codeHash, now);

        var secretHash = ClaimStore.Hash(poll.ClaimSecret);
        var claim = await claims.FindAsync(codeHash, cancellationToken);
        if (claim is null)
        {
            claim = await RecordNewClaimAsync(poll, codeHash, secretHash, source, now, cancellationToken);
            if (claim is null)
            {
                return Waiting();
            }
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(claim.SecretHash), Encoding.ASCII.GetBytes(secretHash)))
        {
            logger.LogWarning("A poll for claim code {Code} came with another secret than the kit that first reported it; refused.", poll.ClaimCode);
            throw ProvisioningProblem.Conflict(ClaimProblemCodes.ClaimBoundElsewhere, "This claim code belongs to another kit. Restart this kit so it makes a code of its own.");
        }

        switch (claim.StateAt(now, Options))
        {
            case ClaimStates.Collected:
                throw ProvisioningProblem.Gone(ClaimProblemCodes.ClaimUsed, "This claim code has been used: the kit collected its credentials already. Make a new code and enrol again.");
            case ClaimStates.Expired:
                throw ProvisioningProblem.Gone(ClaimProblemCodes.ClaimExpired, "This claim code has expired. Make a new code and enrol again.");
            case ClaimStates.Waiting:
                await claims.TouchAsync(codeHash, now, poll.SoftwareVersion, poll.Sensors, cancellationToken);
                return Waiting();
        }

        // Enrolled: hand over the credentials exactly once, then forget the password.
        var kit = kits.Find(claim.KitId!);
        if (kit is null || kit.IsRevoked || claim.Password is null)
        {
            throw ProvisioningProblem.Gone(ClaimProblemCodes.ClaimUsed, "The kit enrolled with this code no longer exists or was revoked. Make a new code and enrol again.");
        }

        var answer = new ClaimAnswer
        {
            Status = ClaimStatuses.Enrolled,
            KitId = kit.KitId,
            Broker = new ClaimBroker(Options.BrokerHost ?? broker.Host, Options.BrokerPort ?? broker.KitPort, tls.Enabled || brokerOptions.Value.UseTls),
            Username = kit.Username,
            Password = claim.Password,
            Tls = tls.Issue(kit.KitId),
            Sensors = [.. kit.Sensors.Select(s => new SensorAssignment(s.SensorId, s.Kind, s.Room ?? s.SensorId, s.Purpose ?? string.Empty))],
            HeartbeatIntervalSeconds = Options.HeartbeatIntervalSeconds,
        };
        if (!await claims.CollectAsync(codeHash, now, cancellationToken))
        {
            throw ProvisioningProblem.Gone(ClaimProblemCodes.ClaimUsed, "This claim code has been used: the kit collected its credentials already.");
        }

        logger.LogInformation("Kit {Kit} collected its credentials with claim code {Code}.", kit.KitId, poll.ClaimCode);
        return new PollOutcome(StatusCodes.Status200OK, answer);
    }

    public async Task<ClaimView> ViewAsync(string claimCode, CancellationToken cancellationToken)
    {
        var (code, claim) = await RequireClaimAsync(claimCode, cancellationToken);
        return new ClaimView(code, claim.StateAt(time.GetUtcNow(), Options), claim.FirstSeen, claim.LastSeen, [.. claim.Sensors.Select(View)], claim.KitId, claim.SoftwareVersion);
    }

    /// <summary>Binds a waiting claim to a resident who consented to monitoring: a new kit, <c>installing</c>.</summary>
    public async Task<EnrolmentView> EnrolAsync(string? claimCode, string? residentId, string? enrolledBy, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(residentId) || string.IsNullOrWhiteSpace(enrolledBy) || enrolledBy.Length > 200)
        {
            throw ProvisioningProblem.BadRequest(ProvisioningCodes.InvalidInput, "claimCode, residentId and enrolledBy (at most 200 characters) are required.");
        }

        await _enrolGate.WaitAsync(cancellationToken);
        try
        {
            var (code, claim) = await RequireClaimAsync(claimCode, cancellationToken);
            switch (claim.StateAt(time.GetUtcNow(), Options))
            {
                case ClaimStates.Enrolled or ClaimStates.Collected:
                    throw ProvisioningProblem.Gone(ClaimProblemCodes.ClaimUsed, $"Claim code {code} has been used already (kit {claim.KitId}). Each code works once.");
                case ClaimStates.Expired:
                    throw ProvisioningProblem.Gone(ClaimProblemCodes.ClaimExpired, $"Claim code {code} has expired. Restart the kit so it shows a new code.");
            }

            if (await residents.FindAsync(residentId, cancellationToken) is null)
            {
                throw ProvisioningProblem.NotFound(ProvisioningCodes.UnknownResident, $"Resident '{residentId}' does not exist.");
            }

            if (!(await residents.GetConsentAsync(residentId, cancellationToken)).Monitoring)
            {
                throw ProvisioningProblem.Conflict(ProvisioningCodes.ConsentMissing, "Record the resident's consent to monitoring (toestemming) before enrolling a kit.");
            }

            var kitId = "kit-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
            var sensors = claim.Sensors.Select(s => new SensorRecord(s.SensorId, s.Kind, s.Room, s.Purpose)).ToList();
            var credentials = await admin.CreateAsync(kitId, residentId, sensors, live: false, cancellationToken);
            await claims.EnrolAsync(claim.CodeHash, kitId, residentId, enrolledBy.Trim(), credentials.Password, time.GetUtcNow(), cancellationToken);
            logger.LogInformation("Claim code {Code} enrolled as kit {Kit} for resident {Resident} by {By}.", code, kitId, residentId, enrolledBy);
            return new EnrolmentView(kitId, residentId, KitStages.Installing, [.. claim.Sensors.Select(View)]);
        }
        finally
        {
            _enrolGate.Release();
        }
    }

    /// <summary>Enrols a new kit for the resident of <paramref name="oldKitId"/> and revokes the old one; history stays.</summary>
    public async Task<EnrolmentView> ReplaceAsync(string oldKitId, string? claimCode, string? by, CancellationToken cancellationToken)
    {
        var old = RequireKit(oldKitId);
        if (old.ResidentId is null)
        {
            throw ProvisioningProblem.Conflict(ProvisioningCodes.KitNotBound, $"Kit '{oldKitId}' belongs to no resident: enrol the new kit directly.");
        }

        var enrolment = await EnrolAsync(claimCode, old.ResidentId, by, cancellationToken);
        await admin.RevokeAsync(oldKitId, cancellationToken);
        walkTests.Remove(oldKitId);
        logger.LogInformation("Kit {Old} replaced by {New} for resident {Resident} by {By}.", oldKitId, enrolment.KitId, old.ResidentId, by);
        return enrolment;
    }

    public async Task<WalkTestView> StartWalkTestAsync(string kitId, CancellationToken cancellationToken)
    {
        var kit = RequireKit(kitId);
        if (kit.IsRevoked)
        {
            throw ProvisioningProblem.Conflict(ProvisioningCodes.KitNotInstalling, $"Kit '{kitId}' is revoked.");
        }

        var view = walkTests.Start(kit);
        await commands.WalkTestAsync(kitId, active: true, cancellationToken);
        return view;
    }

    public WalkTestView WalkTest(string kitId)
    {
        RequireKit(kitId);
        return walkTests.View(kitId) ?? throw NoWalkTest(kitId);
    }

    public void RetryStep(string kitId, string sensorId)
    {
        RequireKit(kitId);
        switch (walkTests.Retry(kitId, sensorId))
        {
            case null:
                throw NoWalkTest(kitId);
            case false:
                throw ProvisioningProblem.NotFound(ProvisioningCodes.UnknownStep, $"The walk test of kit '{kitId}' has no step for sensor '{sensorId}'.");
        }
    }

    /// <summary>Monitoring starts: only for an installing kit, with a passed walk test and the resident's consent.</summary>
    public async Task GoLiveAsync(string kitId, string? by, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            throw ProvisioningProblem.BadRequest(ProvisioningCodes.InvalidInput, "by is required: who puts the kit live.");
        }

        var kit = RequireKit(kitId);
        if (kit.Stage != KitStages.Installing)
        {
            throw ProvisioningProblem.Conflict(ProvisioningCodes.KitNotInstalling, $"Kit '{kitId}' is {kit.Stage}, not installing.");
        }

        if (kit.ResidentId is null || !(await residents.GetConsentAsync(kit.ResidentId, cancellationToken)).Monitoring)
        {
            throw ProvisioningProblem.Conflict(ProvisioningCodes.ConsentMissing, "The resident's consent to monitoring (toestemming) must be recorded before the kit goes live.");
        }

        if (!walkTests.HasPassed(kitId))
        {
            throw ProvisioningProblem.Conflict(ProvisioningCodes.WalkTestIncomplete, "The walk test has not passed yet: every sensor (buttons excepted) must be tested first.");
        }

        var now = time.GetUtcNow();
        await kits.GoLiveAsync(kitId, now, cancellationToken);
        await residents.StartMonitoringIfReadyAsync(kit.ResidentId, now, cancellationToken);
        walkTests.Remove(kitId);
        await commands.WalkTestAsync(kitId, active: false, cancellationToken);
        logger.LogInformation("Kit {Kit} is live (monitoring resident {Resident}) since {At}, by {By}.", kitId, kit.ResidentId, now, by);
    }

    /// <summary>
    /// A code the hub has not seen: recorded unless its source reported too many new codes lately or the hub has
    /// <see cref="ProvisioningOptions.MaxWaitingClaims"/> claims waiting (both 429, logged and counted). Returns null
    /// when recorded, or the claim another poll for the same code recorded first.
    /// </summary>
    private async Task<ClaimRecord?> RecordNewClaimAsync(ClaimPoll poll, string codeHash, string secretHash, IPAddress? source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!sources.TryAcquire(source))
        {
            var wait = sources.RetryAfter(source);
            var refused = stats.CountRefusedSourceLimit();
            if (ProvisioningStats.IsLogged(refused))
            {
                logger.LogWarning("A new claim code from {Source} was refused: that address reported {Max} new codes within {Window} ({Total} such refusals since start; every 100th is logged).",
                    source, Options.MaxNewClaimsPerSource, Options.NewClaimWindow, refused);
            }

            throw new ProvisioningException(StatusCodes.Status429TooManyRequests, ClaimProblemCodes.TooManyPolls,
                $"This address reported more than {Options.MaxNewClaimsPerSource} new claim codes within {Options.NewClaimWindow}; try again later. Kits that reported their code already are not affected.")
            {
                RetryAfterSeconds = RetrySeconds(wait),
            };
        }

        var fresh = new ClaimRecord(codeHash, secretHash, now, now, poll.SoftwareVersion, poll.Sensors, null, null, null, null, null, null);
        var outcome = await claims.InsertAsync(fresh, now - Options.ClaimLifetime, Options.MaxWaitingClaims, cancellationToken);
        switch (outcome)
        {
            case ClaimInsert.Inserted:
                logger.LogInformation("A kit reported claim code {Code} for the first time ({Sensors} sensors).", poll.ClaimCode, poll.Sensors.Count);
                return null;
            case ClaimInsert.Full:
                sources.Release(source);
                var refusedFull = stats.CountRefusedHubFull();
                if (ProvisioningStats.IsLogged(refusedFull))
                {
                    logger.LogWarning("A new claim code from {Source} was refused: {Max} claims are waiting for enrolment already (Provisioning:MaxWaitingClaims; {Total} such refusals since start; every 100th is logged).",
                        source, Options.MaxWaitingClaims, refusedFull);
                }

                throw new ProvisioningException(StatusCodes.Status429TooManyRequests, ClaimProblemCodes.TooManyPolls,
                    $"The hub has {Options.MaxWaitingClaims} kits waiting to be enrolled, its limit; try again later. Kits that reported their code already are not affected.")
                {
                    RetryAfterSeconds = RetrySeconds(Options.PollInterval * 6),
                };
            default:
                sources.Release(source);
                return await claims.FindAsync(codeHash, cancellationToken) ?? throw new InvalidOperationException("A claim vanished while being recorded.");
        }
    }

    private static int RetrySeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private KitRecord RequireKit(string kitId) =>
        kits.Find(kitId) ?? throw ProvisioningProblem.NotFound(ProvisioningCodes.UnknownKit, $"Kit '{kitId}' does not exist.");

    private static ProvisioningException NoWalkTest(string kitId) =>
        ProvisioningProblem.NotFound(ProvisioningCodes.NoWalkTest, $"No walk test runs for kit '{kitId}': start one first.");

    private async Task<(string Code, ClaimRecord Claim)> RequireClaimAsync(string? claimCode, CancellationToken cancellationToken)
    {
        if (!ClaimCode.TryNormalize(claimCode, out var code))
        {
            throw ProvisioningProblem.BadRequest(ClaimProblemCodes.InvalidClaim, "A claim code is 10 characters like 7K3M-Q9TX-2B (letters and digits; dashes optional).");
        }

        var claim = await claims.FindAsync(ClaimStore.Hash(code), cancellationToken)
            ?? throw ProvisioningProblem.NotFound(ClaimProblemCodes.UnknownClaim, $"No kit with code {code} has reported to the hub. Check the code, and that the kit is on and online.");
        return (code, claim);
    }

    private void ThrottlePoll(string codeHash, DateTimeOffset now)
    {
        if (_lastPoll.Count > 50_000)
        {
            foreach (var stale in _lastPoll.Where(p => now - p.Value > Options.PollInterval * 10).Select(p => p.Key).ToList())
            {
                _lastPoll.TryRemove(stale, out _);
            }
        }

        var previous = _lastPoll.GetValueOrDefault(codeHash, DateTimeOffset.MinValue);
        _lastPoll[codeHash] = now;
        if (previous != DateTimeOffset.MinValue && now - previous < Options.MinPollInterval)
        {
            throw new ProvisioningException(StatusCodes.Status429TooManyRequests, ClaimProblemCodes.TooManyPolls,
                $"This code polls too often; wait at least {Options.MinPollInterval.TotalSeconds:0.#} s between polls.")
            {
                RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(Options.MinPollInterval.TotalSeconds)),
            };
        }
    }

    private PollOutcome Waiting() => new(StatusCodes.Status202Accepted, new ClaimAnswer
    {
        Status = ClaimStatuses.Waiting,
        RetryAfterSeconds = Math.Max(1, (int)Options.PollInterval.TotalSeconds),
    });

    private static ClaimSensorView View(ClaimSensor s) => new(s.SensorId, SensorKinds.ToText(s.Kind), s.Room, s.Purpose);
}
