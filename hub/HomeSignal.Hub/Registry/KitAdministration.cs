using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Registry;

/// <summary>
/// Registry changes that reach beyond the registry: a revocation closes the kit's live session, a decommissioned
/// resident's events are deleted from the event store. (The mosquitto files follow every change on their own.)
/// </summary>
public sealed class KitAdministration(KitRegistry kits, ResidentRegistry residents, EmbeddedBroker broker, IEventStore events, TimeProvider time)
{
    /// <summary>Registers a live kit by hand (kits installed before provisioning existed, the demo).</summary>
    public Task<KitCredentials> CreateAsync(string kitId, string? residentId, IReadOnlyList<SensorRecord> sensors, CancellationToken cancellationToken) =>
        CreateAsync(kitId, residentId, sensors, live: true, cancellationToken);

    public async Task<KitCredentials> CreateAsync(string kitId, string? residentId, IReadOnlyList<SensorRecord> sensors, bool live, CancellationToken cancellationToken)
    {
        var credentials = await kits.CreateAsync(kitId, residentId, sensors, live, cancellationToken);
        if (residentId is not null)
        {
            await StartMonitoringOfMigratedKitAsync(residentId, cancellationToken);
        }

        return credentials;
    }

    public async Task RevokeAsync(string kitId, CancellationToken cancellationToken)
    {
        await kits.RevokeAsync(kitId, cancellationToken);
        await broker.DisconnectRevokedKitsAsync();
    }

    public async Task BindToResidentAsync(string kitId, string? residentId, CancellationToken cancellationToken)
    {
        if (residentId is not null)
        {
            await residents.RequireAsync(residentId, cancellationToken);
        }

        await kits.BindToResidentAsync(kitId, residentId, cancellationToken);
        if (residentId is not null)
        {
            await StartMonitoringOfMigratedKitAsync(residentId, cancellationToken);
        }
    }

    /// <summary>
    /// A live kit registered or bound by hand was installed before provisioning existed: as before, monitoring counts
    /// from the recorded consent. (Enrolled kits start monitoring at their go-live instead.)
    /// </summary>
    private async Task StartMonitoringOfMigratedKitAsync(string residentId, CancellationToken cancellationToken)
    {
        var consent = await residents.GetConsentAsync(residentId, cancellationToken);
        await residents.StartMonitoringIfReadyAsync(residentId, consent.RecordedAt ?? time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Deletes everything about one resident from every store, and revokes their kits.</summary>
    public async Task DeleteResidentAsync(string residentId, CancellationToken cancellationToken)
    {
        var kitIds = kits.KitsOf(residentId).Select(k => k.KitId).ToList();
        await events.DeleteResidentDataAsync(residentId, kitIds, cancellationToken);
        await residents.DeleteAsync(residentId, cancellationToken);
        await broker.DisconnectRevokedKitsAsync();
    }
}
