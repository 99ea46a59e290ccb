using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Edge.Hub;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Sensors;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Provisioning;

/// <summary>
/// Claim mode: keeps a claim code (reused across restarts until it expires or is refused), shows it (log and label),
/// and polls the hub until an installer enrolled it; then stores the hub's answer and is done. Nothing is recorded or
/// published meanwhile: the kit has no identity yet.
/// </summary>
public sealed class Claimer(
    ClaimClient client,
    DataDirectory data,
    KitIdentity software,
    IOptions<ProvisioningOptions> options,
    IOptions<GpioOptions> gpio,
    TimeProvider time,
    ILogger<Claimer> logger)
{
    private readonly ClaimFile _file = new(data.Path);
    private readonly ClaimLabel _label = new(data.Path);

    /// <summary>Last time the poll loop ran (for the systemd watchdog).</summary>
    public DateTimeOffset LastLoop { get; private set; } = time.GetUtcNow();

    /// <summary>Longer than the loop ever waits: the longest backoff or retry-after, twice, plus slack.</summary>
    public TimeSpan StallLimit => TimeSpan.FromSeconds(Math.Max(options.Value.PollBackoffMaxSeconds, 3600) * 2);

    /// <summary>The code shown now (for tests and the console).</summary>
    public string? CurrentCode { get; private set; }

    /// <summary>Polls until enrolled; returns the stored answer.</summary>
    public async Task<ClaimAnswer> RunAsync(CancellationToken cancellationToken)
    {
        data.Ensure();
        var o = options.Value;
        var backoff = new Backoff(TimeSpan.FromSeconds(o.PollBackoffInitialSeconds), TimeSpan.FromSeconds(o.PollBackoffMaxSeconds), Random.Shared);
        var claim = CurrentClaim();
        ClaimAnswer? answer = null;
        while (answer is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LastLoop = time.GetUtcNow();
            if (time.GetUtcNow() - claim.CreatedAt >= o.ClaimCodeLifetime)
            {
                logger.LogWarning("Claim code {Code} has expired on this kit; making a new code and label.", claim.Code);
                claim = NewClaim();
            }

            TimeSpan wait;
            switch (await client.PollAsync(Poll(claim), cancellationToken))
            {
                case PollResult.Enrolled enrolled:
                    EnrolmentFile.Write(data.Path, enrolled.Answer);
                    _file.Delete();
                    _label.Delete();
                    logger.LogInformation("Enrolled as kit {Kit}: credentials stored; starting the kit.", enrolled.Answer.KitId);
                    answer = enrolled.Answer;
                    continue;
                case PollResult.Waiting waiting:
                    backoff.Reset();
                    wait = waiting.RetryAfter;
                    break;
                case PollResult.Refused refused:
                    logger.LogError("The hub refused claim code {Code} ({Problem}: {Detail}). Making a new code and label; enrol the kit again with it.", claim.Code, refused.Code, refused.Detail);
                    claim = NewClaim();
                    wait = backoff.Next();
                    break;
                case PollResult.Failed failed:
                    wait = backoff.Next();
                    logger.LogWarning("Claim poll failed: {Reason}. Trying again in {Wait:0} s.", failed.Reason, wait.TotalSeconds);
                    break;
                default:
                    throw new InvalidOperationException("Unknown poll result.");
            }

            await Task.Delay(wait, time, cancellationToken);
        }

        return answer;
    }

    private Claim CurrentClaim()
    {
        var existing = _file.Read();
        if (existing is null)
        {
            return NewClaim();
        }

        Show(existing);
        return existing;
    }

    private Claim NewClaim()
    {
        var claim = _file.New(time.GetUtcNow());
        Show(claim);
        return claim;
    }

    private void Show(Claim claim)
    {
        CurrentCode = claim.Code;
        _label.Write(claim.Code, options.Value.EnrolUrl);
        logger.LogWarning("This kit has no credentials yet. Enrol it in the dashboard with claim code {Code} (label: {Label}).", claim.Code, _label.PngPath);
    }

    private ClaimPoll Poll(Claim claim) => new()
    {
        ClaimCode = claim.Code,
        ClaimSecret = claim.Secret,
        SoftwareVersion = software.SoftwareVersion,
        Sensors = [.. gpio.Value.Sensors
            .Where(s => s.Kind is { } kind && kind != SensorKind.Kit)
            .Select(s => new ClaimSensor(s.Id, s.Kind!.Value, Text(s.Room, s.Id), Text(s.Purpose, s.Kind!.Value.ToString())))],
    };

    private static string Text(string? value, string fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback : value.Length > 64 ? value[..64] : value;
}
