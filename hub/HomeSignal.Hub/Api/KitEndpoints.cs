using HomeSignal.Hub.Health;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Api;

public sealed record SensorInput(string? SensorId, string? Kind, string? Room, string? Purpose);

public sealed record CreateKitInput(string? KitId, string? ResidentId, IReadOnlyList<SensorInput>? Sensors, bool? Live);

public sealed record BindKitInput(string? ResidentId);

public sealed record OutboxView(long Depth, double? OldestAgeSeconds);

public sealed record SensorView(string SensorId, string Kind, string? Room, string? Purpose, string? State, DateTimeOffset? LastChange, bool Stale);

public sealed record KitView(
    string KitId,
    string? ResidentId,
    string Status,
    DateTimeOffset? LastSeen,
    DateTimeOffset? LastHeartbeat,
    string? BootId,
    string? SoftwareVersion,
    OutboxView? Outbox,
    IReadOnlyList<string> Flags,
    IReadOnlyList<SensorView> Sensors,
    string Stage,
    DateTimeOffset? LiveSince);

public sealed record EventView(string KitId, string BootId, long Seq, string SensorId, string Kind, string State, DateTimeOffset Ts, DateTimeOffset ReceivedAt, bool ClockSynced);

/// <summary>/api/kits and /api/events: kits with their health, provisioning, revocation and recent events.</summary>
public static class KitEndpoints
{
    public static void MapKitEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/kits", (KitRegistry kits, KitHealthTracker health, TimeProvider time) =>
            Results.Ok(kits.All().Select(k => View(k, health, time.GetUtcNow()))));

        api.MapGet("/kits/{kitId}", (string kitId, KitRegistry kits, KitHealthTracker health, TimeProvider time) =>
            kits.Find(kitId) is { } kit ? Results.Ok(View(kit, health, time.GetUtcNow())) : ApiInput.NotFound($"Kit '{kitId}' does not exist."));

        api.MapPost("/kits", async (HttpRequest request, KitAdministration admin, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<CreateKitInput>(request);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(input!.KitId))
            {
                return ApiInput.BadRequest("kitId is required.");
            }

            var sensors = new List<SensorRecord>();
            foreach (var s in input.Sensors ?? [])
            {
                if (s is null || string.IsNullOrWhiteSpace(s.SensorId) || !SensorKinds.TryParse(s.Kind, out var kind))
                {
                    return ApiInput.BadRequest("Each sensor needs a sensorId and a kind: door, motion, mailbox-flap, mailbox-door, button or kit.");
                }

                if (string.IsNullOrWhiteSpace(s.Room) || string.IsNullOrWhiteSpace(s.Purpose) || s.Room.Length > 64 || s.Purpose.Length > 64)
                {
                    return ApiInput.BadRequest($"Sensor '{s.SensorId}' needs a room and a purpose (at most 64 characters each).");
                }

                sensors.Add(new SensorRecord(s.SensorId, kind, s.Room, s.Purpose));
            }

            var credentials = await admin.CreateAsync(input.KitId, input.ResidentId, sensors, input.Live ?? true, ct);
            return Results.Created($"/api/kits/{credentials.KitId}", credentials);
        });

        api.MapPost("/kits/{kitId}/revoke", async (string kitId, KitAdministration admin, CancellationToken ct) =>
        {
            await admin.RevokeAsync(kitId, ct);
            return Results.NoContent();
        });

        api.MapPost("/kits/{kitId}/bind", async (string kitId, HttpRequest request, KitAdministration admin, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<BindKitInput>(request);
            if (error is not null)
            {
                return error;
            }

            await admin.BindToResidentAsync(kitId, input!.ResidentId, ct);
            return Results.NoContent();
        });

        api.MapGet("/kits/{kitId}/events", async (string kitId, string? limit, KitRegistry kits, IEventStore store, CancellationToken ct) =>
        {
            if (!ApiInput.TryLimit(limit, 50, 1000, out var n, out var error))
            {
                return error!;
            }

            if (kits.Find(kitId) is null)
            {
                return ApiInput.NotFound($"Kit '{kitId}' does not exist.");
            }

            var events = await store.QueryEventsAsync(new EventQuery { KitIds = [kitId], Limit = n, Order = EventOrder.NewestFirst }, ct);
            return Results.Ok(events.Select(ToView));
        });

        api.MapGet("/events/recent", async (string? limit, IEventStore store, CancellationToken ct) =>
        {
            if (!ApiInput.TryLimit(limit, 100, 1000, out var n, out var error))
            {
                return error!;
            }

            var events = await store.QueryEventsAsync(new EventQuery { Limit = n, Order = EventOrder.NewestFirst }, ct);
            return Results.Ok(events.Select(ToView));
        });
    }

    public static EventView ToView(StoredEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EventView(e.KitId, e.BootId, e.Seq, e.SensorId, SensorKinds.ToText(e.Kind), e.State, e.Ts, e.ReceivedAt, e.ClockSynced);
    }

    public static KitView View(KitRecord kit, KitHealthTracker health, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(health);
        var presence = health.View(kit.KitId, now);
        var heartbeat = presence.Heartbeat;
        var reported = heartbeat?.Sensors.ToDictionary(s => s.SensorId, StringComparer.Ordinal) ?? [];
        var sensors = kit.Sensors.Select(s =>
        {
            reported.TryGetValue(s.SensorId, out var h);
            var lastChange = h?.LastChange ?? (presence.SensorLastEvent.TryGetValue(s.SensorId, out var at) ? at : null);
            return new SensorView(s.SensorId, SensorKinds.ToText(s.Kind), s.Room, s.Purpose, h?.State, lastChange, presence.StaleSensors.Contains(s.SensorId));
        }).ToList();
        return new KitView(
            kit.KitId,
            kit.ResidentId,
            presence.Status,
            presence.LastSeen,
            presence.LastHeartbeat,
            heartbeat?.BootId,
            heartbeat?.SoftwareVersion,
            heartbeat is null ? null : new OutboxView(heartbeat.Outbox.Depth, heartbeat.Outbox.OldestAgeSeconds),
            heartbeat?.Flags ?? [],
            sensors,
            kit.Stage,
            kit.LiveSince);
    }
}
