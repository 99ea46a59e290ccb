using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Provisioning;

/// <summary>Configuration section <c>Provisioning</c>: claim codes, the kit's collect answer and the walk test.</summary>
public sealed class ProvisioningOptions : IValidatedOptions
{
    public const string Section = "Provisioning";

    /// <summary>A claim code not enrolled this long after the hub first saw it expires.</summary>
    public TimeSpan ClaimLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An enrolled claim must be collected by its kit within this time, or it expires.</summary>
    public TimeSpan CollectLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>What the hub tells a waiting kit: poll again after this long.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Polls for one code closer together than this are refused with 429.</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most claims that may wait for enrolment at once (unexpired, not enrolled). A new code beyond it is refused with
    /// 429; codes the hub knows already, and enrolments, are never affected.
    /// </summary>
    public int MaxWaitingClaims { get; set; } = 1_000;

    /// <summary>Most new claim codes one source address may report within <see cref="NewClaimWindow"/> (polls of known codes are free).</summary>
    public int MaxNewClaimsPerSource { get; set; } = 30;

    public TimeSpan NewClaimWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An expired claim that was never enrolled is deleted this long after it expired (until then its kit hears <c>claim-expired</c>).</summary>
    public TimeSpan ExpiredClaimRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often expired claims are cleaned up and enrolments not collected within <see cref="CollectLifetime"/> are revoked.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The broker host kits are told to connect to (a name their TLS check accepts); unset: <c>Broker:Host</c>.</summary>
    public string? BrokerHost { get; set; }

    /// <summary>The broker port kits are told; unset: the hub's broker port.</summary>
    public int? BrokerPort { get; set; }

    public int HeartbeatIntervalSeconds { get; set; } = 60;

    /// <summary>A walk-test step without any event this long fails with <c>no-event</c>.</summary>
    public TimeSpan WalkTestStepTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>A contact changing more than this many times within <see cref="BounceWindow"/> is <c>bouncing</c>.</summary>
    public int BounceChanges { get; set; } = 6;

    public TimeSpan BounceWindow { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<string> Validate()
    {
        if (ClaimLifetime <= TimeSpan.Zero || ClaimLifetime > TimeSpan.FromDays(90))
        {
            yield return "Provisioning:ClaimLifetime must be above 0 and at most 90 days.";
        }

        if (CollectLifetime <= TimeSpan.Zero || CollectLifetime > TimeSpan.FromDays(30))
        {
            yield return "Provisioning:CollectLifetime must be above 0 and at most 30 days.";
        }

        if (PollInterval < TimeSpan.FromSeconds(1) || PollInterval > TimeSpan.FromHours(1))
        {
            yield return "Provisioning:PollInterval must be 1 s to 1 h.";
        }

        if (MinPollInterval < TimeSpan.Zero || MinPollInterval > PollInterval)
        {
            yield return "Provisioning:MinPollInterval must be 0 or more and at most Provisioning:PollInterval.";
        }

        if (MaxWaitingClaims is < 1 or > 1_000_000)
        {
            yield return "Provisioning:MaxWaitingClaims must be 1–1000000.";
        }

        if (MaxNewClaimsPerSource < 1)
        {
            yield return "Provisioning:MaxNewClaimsPerSource must be at least 1.";
        }

        if (NewClaimWindow < TimeSpan.FromSeconds(1) || NewClaimWindow > TimeSpan.FromDays(1))
        {
            yield return "Provisioning:NewClaimWindow must be 1 s to 1 day.";
        }

        if (ExpiredClaimRetention < TimeSpan.Zero || ExpiredClaimRetention > TimeSpan.FromDays(90))
        {
            yield return "Provisioning:ExpiredClaimRetention must be 0 to 90 days.";
        }

        if (SweepInterval < TimeSpan.FromSeconds(1) || SweepInterval > TimeSpan.FromHours(1))
        {
            yield return "Provisioning:SweepInterval must be 1 s to 1 h.";
        }

        if (BrokerPort is < 1 or > 65535)
        {
            yield return "Provisioning:BrokerPort must be 1–65535 (or unset: the hub's broker port).";
        }

        if (HeartbeatIntervalSeconds is < 5 or > 3600)
        {
            yield return "Provisioning:HeartbeatIntervalSeconds must be 5–3600.";
        }

        if (WalkTestStepTimeout < TimeSpan.FromSeconds(1) || WalkTestStepTimeout > TimeSpan.FromHours(1))
        {
            yield return "Provisioning:WalkTestStepTimeout must be 1 s to 1 h.";
        }

        if (BounceChanges < 2)
        {
            yield return "Provisioning:BounceChanges must be at least 2.";
        }

        if (BounceWindow <= TimeSpan.Zero || BounceWindow > TimeSpan.FromMinutes(1))
        {
            yield return "Provisioning:BounceWindow must be above 0 and at most 1 minute.";
        }
    }
}
