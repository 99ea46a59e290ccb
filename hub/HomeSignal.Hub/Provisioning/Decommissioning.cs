using HomeSignal.Hub.Health;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Zigbee;

namespace HomeSignal.Hub.Provisioning;

/// <summary>
/// Deleting a resident (AVG: the right to be forgotten): only after their consent to monitoring was withdrawn, then
/// from every store — events and aggregates (SQLite or InfluxDB), registry, signals, sensor gap profiles, claims, running
/// walk tests and what the zigbee bridge knew of their devices — and their kits are revoked.
/// </summary>
public sealed class Decommissioning(ResidentRegistry residents, KitRegistry kits, KitAdministration admin, ClaimStore claims, WalkTests walkTests, SensorGapProfiles gaps, ZigbeeBridge zigbee, ILogger<Decommissioning> logger)
{
    public async Task DeleteResidentAsync(string residentId, CancellationToken cancellationToken)
    {
        if (await residents.FindAsync(residentId, cancellationToken) is null)
        {
            throw ProvisioningProblem.NotFound(ProvisioningCodes.UnknownResident, $"Resident '{residentId}' does not exist.");
        }

        if ((await residents.GetConsentAsync(residentId, cancellationToken)).Monitoring)
        {
            throw ProvisioningProblem.Conflict(ProvisioningCodes.ConsentNotWithdrawn,
                "Withdraw the resident's consent to monitoring first (PUT /api/residents/{id}/consent with monitoring false); then their data can be deleted.");
        }

        var kitIds = kits.KitsOf(residentId).Select(k => k.KitId).ToList();
        await admin.DeleteResidentAsync(residentId, cancellationToken);
        await claims.DeleteForResidentAsync(residentId, kitIds, cancellationToken);
        await gaps.ForgetAsync(kitIds, cancellationToken);
        await zigbee.ForgetKitsAsync(kitIds, cancellationToken);
        foreach (var kitId in kitIds)
        {
            walkTests.Remove(kitId);
        }

        logger.LogInformation("Resident {Resident} decommissioned: data deleted from every store, {Kits} kit(s) revoked.", residentId, kitIds.Count);
    }
}
