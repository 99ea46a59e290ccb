using HomeSignal.Hub.Aggregation;
using HomeSignal.Hub.Detection;
using HomeSignal.Hub.Provisioning;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Api;

public sealed record CreateResidentInput(string? DisplayName, string? Phone);

public sealed record ConsentInput(bool? Monitoring, bool? ShareWithNurse, bool? Belronde, string? RecordedBy, DateTimeOffset? RecordedAt);

public sealed record LabelInput(string? SignalId, string? Outcome, string? Note, string? RecordedBy);

public sealed record ContextInput(string? Kind, DateTimeOffset? From, DateTimeOffset? To, string? Note);

public sealed record ResidentView(string ResidentId, string DisplayName, string? Phone, IReadOnlyList<string> KitIds, DateTimeOffset? MonitoringSince, int? LearningDay, int LearningDays);

/// <summary>/api/residents: the registry (the only endpoints that return personal details), consent, events, aggregates, labels, context.</summary>
public static class ResidentEndpoints
{
    public static void MapResidentEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/residents", async (ResidentRegistry residents, KitRegistry kits, IOptions<HubDetectionOptions> options, TimeProvider time, CancellationToken ct) =>
            Results.Ok((await residents.AllAsync(ct)).Select(r => View(r, kits, options.Value, time.GetUtcNow()))));

        api.MapGet("/residents/{id}", async (string id, ResidentRegistry residents, KitRegistry kits, IOptions<HubDetectionOptions> options, TimeProvider time, CancellationToken ct) =>
            Results.Ok(View(await residents.RequireAsync(id, ct), kits, options.Value, time.GetUtcNow())));

        api.MapPost("/residents", async (HttpRequest request, ResidentRegistry residents, KitRegistry kits, IOptions<HubDetectionOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<CreateResidentInput>(request);
            if (error is not null)
            {
                return error;
            }

            var resident = await residents.CreateAsync(input!.DisplayName ?? string.Empty, input.Phone, ct);
            return Results.Created($"/api/residents/{resident.ResidentId}", View(resident, kits, options.Value, time.GetUtcNow()));
        });

        api.MapPut("/residents/{id}/consent", async (string id, HttpRequest request, ResidentRegistry residents, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<ConsentInput>(request);
            if (error is not null)
            {
                return error;
            }

            if (input!.Monitoring is not { } monitoring || input.ShareWithNurse is not { } nurse || input.Belronde is not { } belronde)
            {
                return ApiInput.BadRequest("monitoring, shareWithNurse and belronde are required (true or false).");
            }

            await residents.SetConsentAsync(id, new Consent(monitoring, nurse, belronde, input.RecordedBy, input.RecordedAt), ct);
            return Results.NoContent();
        });

        api.MapGet("/residents/{id}/consent", async (string id, ResidentRegistry residents, CancellationToken ct) =>
            Results.Ok(await residents.GetConsentAsync(id, ct)));

        api.MapGet("/residents/{id}/events", async (string id, string? from, string? to, string? limit, ResidentRegistry residents, KitRegistry kits, IEventStore store, CancellationToken ct) =>
        {
            if (!ApiInput.TryTime(from, "from", out var f, out var error) || !ApiInput.TryTime(to, "to", out var t, out error)
                || !ApiInput.TryLimit(limit, 1000, 10_000, out var n, out error))
            {
                return error!;
            }

            await residents.RequireAsync(id, ct);
            var events = await store.QueryEventsAsync(new EventQuery
            {
                KitIds = [.. kits.KitsOf(id).Select(k => k.KitId)],
                From = f,
                To = t,
                Limit = n,
                Order = EventOrder.OldestFirst,
            }, ct);
            return Results.Ok(events.Select(KitEndpoints.ToView));
        });

        api.MapGet("/residents/{id}/aggregates", async (string id, string? granularity, string? from, string? to, ResidentRegistry residents, IEventStore store, TimeProvider time, CancellationToken ct) =>
        {
            var g = granularity switch
            {
                null or "day" => AggregateGranularity.Day,
                "hour" => AggregateGranularity.Hour,
                _ => (AggregateGranularity?)null,
            };
            if (g is null)
            {
                return ApiInput.BadRequest("granularity must be 'hour' or 'day'.");
            }

            if (!ApiInput.TryTime(from, "from", out var f, out var error) || !ApiInput.TryTime(to, "to", out var t, out error))
            {
                return error!;
            }

            await residents.RequireAsync(id, ct);
            var end = t ?? time.GetUtcNow();
            var start = f ?? end.AddDays(-30);
            return Results.Ok(await store.QueryAggregatesAsync(id, g.Value, start, end, ct));
        });

        api.MapGet("/residents/{id}/signals", async (string id, string? from, string? to, ResidentRegistry residents, SignalStore signals, CancellationToken ct) =>
        {
            if (!ApiInput.TryTime(from, "from", out var f, out var error) || !ApiInput.TryTime(to, "to", out var t, out error))
            {
                return error!;
            }

            await residents.RequireAsync(id, ct);
            return Results.Ok(await signals.ForResidentAsync(id, f ?? DateTimeOffset.MinValue, t ?? DateTimeOffset.MaxValue, ct));
        });

        api.MapPost("/residents/{id}/labels", async (string id, HttpRequest request, ResidentRegistry residents, TimeProvider time, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<LabelInput>(request);
            if (error is not null)
            {
                return error;
            }

            await residents.AddLabelAsync(id, new Label(input!.SignalId ?? string.Empty, input.Outcome ?? string.Empty, input.Note, input.RecordedBy ?? string.Empty, time.GetUtcNow()), ct);
            return Results.NoContent();
        });

        api.MapGet("/residents/{id}/context", async (string id, ResidentRegistry residents, CancellationToken ct) =>
        {
            await residents.RequireAsync(id, ct);
            return Results.Ok(await residents.ContextAsync(id, ct));
        });

        api.MapPost("/residents/{id}/context", async (string id, HttpRequest request, ResidentRegistry residents, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<ContextInput>(request);
            if (error is not null)
            {
                return error;
            }

            if (input!.From is not { } from)
            {
                return ApiInput.BadRequest("from is required (ISO 8601 time).");
            }

            var period = new ContextPeriod(input.Kind ?? string.Empty, from, input.To, input.Note, Inferred: false);
            await residents.AddContextAsync(id, period, ct);
            return Results.Created($"/api/residents/{id}/context", period);
        });

        api.MapDelete("/residents/{id}", async (string id, Decommissioning decommissioning, CancellationToken ct) =>
        {
            try
            {
                await decommissioning.DeleteResidentAsync(id, ct);
                return Results.NoContent();
            }
            catch (ProvisioningException ex)
            {
                return ex.ToResult();
            }
        });
    }

    /// <summary>The learning period shown is the one detection uses (<c>Detection:Engine:Baselines:LearningDays</c>).</summary>
    private static ResidentView View(Resident r, KitRegistry kits, HubDetectionOptions options, DateTimeOffset now)
    {
        var learningDays = options.Engine.Baselines.LearningDays;
        int? learningDay = r.MonitoringSince is { } since ? Math.Min(learningDays, (int)Math.Floor((now - since).TotalDays) + 1) : null;
        return new ResidentView(r.ResidentId, r.DisplayName, r.Phone, [.. kits.KitsOf(r.ResidentId).Select(k => k.KitId)], r.MonitoringSince, learningDay, learningDays);
    }
}
