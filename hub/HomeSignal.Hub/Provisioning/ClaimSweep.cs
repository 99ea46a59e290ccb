using HomeSignal.Hub.Registry;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Provisioning;

/// <summary>
/// Housekeeping of claims: deletes claims that expired without enrolment (after
/// <see cref="ProvisioningOptions.ExpiredClaimRetention"/>, so a kit still polling hears <c>claim-expired</c> first),
/// and revokes kits whose enrolment was not collected within <see cref="ProvisioningOptions.CollectLifetime"/>: such
/// a claim can never be collected any more, and its kit would otherwise stay <c>installing</c> for ever with a live
/// broker account. Revocation takes the usual path (registry, broker accounts, connections).
/// </summary>
public sealed class ClaimSweep(
    ClaimStore claims,
    KitRegistry kits,
    KitAdministration admin,
    WalkTests walkTests,
    ProvisioningStats stats,
    IOptions<ProvisioningOptions> options,
    TimeProvider time,
    ILogger<ClaimSweep> logger)
{
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();

        var deleted = await claims.DeleteExpiredWaitingAsync(now - o.ClaimLifetime - o.ExpiredClaimRetention, cancellationToken);
        if (deleted > 0)
        {
            stats.CountExpiredClaimsDeleted(deleted);
            logger.LogInformation("Deleted {Count} claim code(s) that expired without being enrolled.", deleted);
        }

        foreach (var claim in await claims.UncollectedAsync(now - o.CollectLifetime, cancellationToken))
        {
            var kit = claim.KitId is null ? null : kits.Find(claim.KitId);
            if (kit is null || kit.Stage != KitStages.Installing)
            {
                // Revoked already (by an earlier sweep, a replacement or by hand) or deleted: only the password goes.
                if (claim.Password is not null)
                {
                    await claims.ForgetUncollectedPasswordAsync(claim.CodeHash, cancellationToken);
                }

                continue;
            }

            // Forget the password first: once it is gone no poll can hand it out, so the kit revoked next never got it.
            if (!await claims.ForgetUncollectedPasswordAsync(claim.CodeHash, cancellationToken))
            {
                continue; // collected at the last moment
            }

            await admin.RevokeAsync(kit.KitId, cancellationToken);
            walkTests.Remove(kit.KitId);
            stats.CountUncollectedRevoked();
            logger.LogWarning(
                "Kit {Kit} (resident {Resident}) was revoked: it did not collect its credentials within {Lifetime} of its enrolment at {EnrolledAt} by {By}. Enrol the kit again with a new code.",
                kit.KitId, kit.ResidentId, o.CollectLifetime, claim.EnrolledAt, claim.EnrolledBy);
        }
    }
}

/// <summary>Runs <see cref="ClaimSweep"/> every <see cref="ProvisioningOptions.SweepInterval"/>.</summary>
public sealed class ClaimSweepService(ClaimSweep sweep, IOptions<ProvisioningOptions> options, TimeProvider time, ILogger<ClaimSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await sweep.SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The claim sweep failed; it runs again on the next tick.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
