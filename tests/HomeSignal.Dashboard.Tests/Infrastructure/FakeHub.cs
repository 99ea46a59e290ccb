using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeSignal.Dashboard.Tests.Infrastructure;

/// <summary>
/// A stand-in for the hub's HTTP API v1 (hub/HomeSignal.Hub/API.md), on 127.0.0.1 with a free port, serving in-memory data
/// with the document's shapes (camelCase JSON, ISO UTC times, Bearer key, 401/400/404). Written from API.md, not from
/// the dashboard's own types, so it checks the dashboard against the contract. Seeded by <see cref="HubSeed"/>.
/// </summary>
public sealed partial class FakeHub : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789abcdef";
    private readonly WebApplication app;

    private FakeHub(WebApplication app) => this.app = app;

    public ConcurrentDictionary<string, JsonObject> Residents { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Consents { get; } = new();
    public ConcurrentDictionary<string, List<JsonObject>> Context { get; } = new();
    public List<JsonObject> Signals { get; } = [];
    public ConcurrentQueue<(string ResidentId, JsonObject Label)> Labels { get; } = new();
    public List<JsonObject> Kits { get; } = [];

    /// <summary>Motion per resident and UTC hour start; day rows are summed from it.</summary>
    public ConcurrentDictionary<string, SortedDictionary<DateTimeOffset, int>> HourlyMotion { get; } = new();

    /// <summary>When false, every /api call answers 503 (a hub that is down).</summary>
    public bool Up { get; set; } = true;

    public string BaseUrl { get; private set; } = string.Empty;

    public static async Task<FakeHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var hub = new FakeHub(app);
        hub.Map();
        await app.StartAsync();
        hub.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return hub;
    }

    public void AddSignal(JsonObject signal)
    {
        lock (Signals)
        {
            Signals.Add(signal);
        }
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private void Map()
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/health")
            {
                await context.Response.WriteAsync("ok");
                return;
            }

            if (!Up)
            {
                context.Response.StatusCode = 503;
                return;
            }

            if (context.Request.Headers.Authorization != $"Bearer {ApiKey}")
            {
                context.Response.StatusCode = 401;
                return;
            }

            await next();
        });
        app.MapGet("/api/residents", () => Results.Json(Residents.Values.OrderBy(r => (string?)r["residentId"], StringComparer.Ordinal)));
        app.MapGet("/api/residents/{id}", (string id) => Residents.TryGetValue(id, out var r) ? Results.Json(r) : Results.NotFound());
        app.MapGet("/api/residents/{id}/consent", (string id) =>
            !Residents.ContainsKey(id) ? Results.NotFound()
            : Results.Json(Consents.GetValueOrDefault(id) ?? new JsonObject { ["monitoring"] = false, ["shareWithNurse"] = false, ["belronde"] = false }));
        app.MapPut("/api/residents/{id}/consent", (string id, JsonObject body) =>
        {
            if (!Residents.ContainsKey(id))
            {
                return Results.NotFound();
            }

            if (body["monitoring"] is null || body["shareWithNurse"] is null || body["belronde"] is null || body["recordedBy"] is null)
            {
                return Results.Problem(detail: "monitoring, shareWithNurse, belronde and recordedBy are required", statusCode: 400);
            }

            Consents[id] = body;
            return Results.NoContent();
        });
        app.MapGet("/api/residents/{id}/context", (string id) =>
            Residents.ContainsKey(id) ? Results.Json(Context.GetValueOrDefault(id) ?? []) : Results.NotFound());
        app.MapPost("/api/residents/{id}/context", (string id, JsonObject body) =>
        {
            var kinds = new[] { "holiday", "hospital", "day-care", "visit", "life-event" };
            if (!Residents.ContainsKey(id))
            {
                return Results.NotFound();
            }

            if (!kinds.Contains((string?)body["kind"]) || body["from"] is null)
            {
                return Results.Problem(detail: "kind must be one of holiday, hospital, day-care, visit, life-event; from is required", statusCode: 400);
            }

            Context.GetOrAdd(id, _ => []).Add(body);
            return Results.Created($"/api/residents/{id}/context", body);
        });
        app.MapPost("/api/residents/{id}/labels", (string id, JsonObject body) =>
        {
            var outcomes = new[] { "relevant", "not-relevant", "explained-visit", "explained-holiday", "explained-other" };
            if (!Residents.ContainsKey(id))
            {
                return Results.NotFound();
            }

            if (body["signalId"] is null || !outcomes.Contains((string?)body["outcome"]) || body["recordedBy"] is null)
            {
                return Results.Problem(detail: "signalId, outcome (relevant|not-relevant|explained-*) and recordedBy are required", statusCode: 400);
            }

            Labels.Enqueue((id, body));
            return Results.NoContent();
        });
        app.MapGet("/api/signals", (string? since) =>
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
            {
                return Results.Problem(detail: "since must be an ISO 8601 time", statusCode: 400);
            }

            lock (Signals)
            {
                return Results.Json(Signals.Where(s => Time(s["updatedAt"]) >= from).OrderBy(s => Time(s["updatedAt"])).ToList());
            }
        });
        app.MapGet("/api/residents/{id}/signals", (string id, string? from, string? to) =>
        {
            lock (Signals)
            {
                return Residents.ContainsKey(id)
                    ? Results.Json(Signals.Where(s => (string?)s["residentId"] == id).ToList())
                    : Results.NotFound();
            }
        });
        app.MapGet("/api/residents/{id}/aggregates", (string id, string? granularity, string? from, string? to) =>
        {
            if (!Residents.ContainsKey(id))
            {
                return Results.NotFound();
            }

            if (granularity is not ("hour" or "day") || !DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var f)
                || !DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                return Results.Problem(detail: "granularity must be hour or day; from and to are ISO 8601 times", statusCode: 400);
            }

            return Results.Json(Aggregates(id, granularity, f, t));
        });
        app.MapGet("/api/kits", () =>
        {
            lock (Kits)
            {
                return Results.Json(Kits.Select(k => k.DeepClone()).ToList());
            }
        });
        app.MapGet("/api/kits/{kitId}", (string kitId) =>
        {
            lock (Kits)
            {
                return FindKit(kitId) is { } kit ? Results.Json(kit.DeepClone()) : Results.NotFound();
            }
        });
        MapProvisioning();
    }

    private List<JsonObject> Aggregates(string id, string granularity, DateTimeOffset from, DateTimeOffset to)
    {
        var hours = HourlyMotion.GetValueOrDefault(id) ?? [];
        var inRange = hours.Where(h => h.Key >= from && h.Key < to).ToList();
        if (granularity == "hour")
        {
            return [.. inRange.Select(h => new JsonObject
            {
                ["start"] = h.Key.ToString("O", CultureInfo.InvariantCulture), ["motion"] = h.Value, ["doorOpenings"] = 0,
                ["outings"] = null, ["minutesOut"] = null, ["mailboxDeliveries"] = 0, ["mailboxCollections"] = 0, ["nightMotion"] = null,
                ["firstActivity"] = null, ["lastActivity"] = null,
            })];
        }

        return [.. inRange.GroupBy(h => new DateTimeOffset(h.Key.UtcDateTime.Date, TimeSpan.Zero)).Select(g => new JsonObject
        {
            ["start"] = g.Key.ToString("O", CultureInfo.InvariantCulture), ["motion"] = g.Sum(h => h.Value), ["doorOpenings"] = 4,
            ["outings"] = g.Key.DayOfWeek == DayOfWeek.Sunday ? 1 : 2, ["minutesOut"] = 95, ["mailboxDeliveries"] = 1,
            ["mailboxCollections"] = 1, ["nightMotion"] = g.Where(h => h.Key.Hour < 6).Sum(h => h.Value),
            ["firstActivity"] = g.Key.AddHours(6).ToString("O", CultureInfo.InvariantCulture), ["lastActivity"] = g.Key.AddHours(21).ToString("O", CultureInfo.InvariantCulture),
        })];
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);
}
