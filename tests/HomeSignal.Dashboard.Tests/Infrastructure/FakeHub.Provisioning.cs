using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HomeSignal.Dashboard.Tests.Infrastructure;

/// <summary>
/// The hub stand-in's provisioning API, written from PROVISIONING.md (issue #7): residents created, claim codes,
/// enrolment with its refusals (problem bodies with a <c>code</c>), walk tests, go-live, replace, revoke and decommissioning.
/// Tests arrange claims and move walk-test steps directly, as the kit's events would at the real hub.
/// </summary>
public sealed partial class FakeHub
{
    private int nextId;

    /// <summary>Claim codes the hub has seen, keyed by their normalized form (upper case, no dashes).</summary>
    public ConcurrentDictionary<string, JsonObject> Claims { get; } = new();

    public ConcurrentDictionary<string, JsonObject> WalkTests { get; } = new();

    /// <summary>The hub's clock (the test's fake clock, set by the host), for go-live and learning days.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>When set, go-live is refused with this code (409), as a hub whose state moved on would.</summary>
    public string? GoLiveRefusal { get; set; }

    /// <summary>When set, deleting a resident is refused with this code (409).</summary>
    public string? DeleteRefusal { get; set; }

    public static readonly JsonArray DefaultSensors =
    [
        new JsonObject { ["sensorId"] = "door-front", ["kind"] = "door", ["room"] = "hal", ["purpose"] = "voordeur" },
        new JsonObject { ["sensorId"] = "motion-living", ["kind"] = "motion", ["room"] = "woonkamer", ["purpose"] = "aanwezigheid" },
        new JsonObject { ["sensorId"] = "mailbox-flap", ["kind"] = "mailbox-flap", ["room"] = "voordeur", ["purpose"] = "post bezorgd" },
        new JsonObject { ["sensorId"] = "button-ok", ["kind"] = "button", ["room"] = "woonkamer", ["purpose"] = "alles goed" },
    ];

    /// <summary>A kit in claim mode that has polled the hub with this code ("waiting"), or one in another state.</summary>
    public void AddClaim(string code, string status = "waiting")
    {
        Claims[Key(code)] = new JsonObject
        {
            ["claimCode"] = code, ["status"] = status, ["firstSeen"] = HubSeed.Iso(Now().AddMinutes(-5)), ["lastSeen"] = HubSeed.Iso(Now()),
            ["sensors"] = DefaultSensors.DeepClone(),
        };
    }

    /// <summary>Moves one walk-test step, as the kit's events would; a step that passes makes the next required one current.</summary>
    public void SetStep(string kitId, string sensorId, string status, string? problem = null)
    {
        var test = WalkTests[kitId];
        lock (test)
        {
            var steps = test["steps"]!.AsArray();
            var step = steps.Single(s => (string?)s!["sensorId"] == sensorId)!;
            step["status"] = status;
            step["problem"] = problem;
            step["explanation"] = problem == "inverted" ? "De sensor meldt dicht als hij open gaat: de draden of de instelling 'Contact' staan omgekeerd." : null;
            step["events"] = (int)step["events"]! + (problem == "no-event" ? 0 : 2);
            if (status == "passed" && steps.FirstOrDefault(s => (string?)s!["status"] == "waiting") is { } next)
            {
                next["status"] = "current";
            }

            var current = steps.FirstOrDefault(s => (string?)s!["status"] == "current");
            test["currentSensorId"] = current is null ? null : (string?)current["sensorId"];
            test["passed"] = steps.All(s => (string?)s!["status"] == "passed" || (string?)s!["kind"] == "button");
        }
    }

    public JsonObject? FindKit(string kitId) => Kits.FirstOrDefault(k => (string?)k["kitId"] == kitId);

    private static string Key(string code) => code.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static IResult Problem(int status, string code, string detail) => Results.Json(
        new JsonObject { ["type"] = "about:blank", ["title"] = code, ["status"] = status, ["detail"] = detail, ["code"] = code },
        statusCode: status, contentType: "application/problem+json");

    private void MapProvisioning()
    {
        app.MapPost("/api/residents", (JsonObject body) =>
        {
            var name = (string?)body["displayName"];
            if (string.IsNullOrWhiteSpace(name))
            {
                return Results.Problem(detail: "displayName is required", statusCode: 400);
            }

            var id = "r-new" + Interlocked.Increment(ref nextId).ToString("D3", CultureInfo.InvariantCulture);
            var resident = new JsonObject
            {
                ["residentId"] = id, ["displayName"] = name, ["phone"] = (string?)body["phone"], ["kitIds"] = new JsonArray(),
                ["monitoringSince"] = null, ["learningDay"] = null, ["learningDays"] = 14,
            };
            Residents[id] = resident;
            return Results.Json(resident, statusCode: 201);
        });
        app.MapDelete("/api/residents/{id}", (string id) =>
        {
            if (!Residents.ContainsKey(id))
            {
                return Problem(404, "unknown-resident", "no such resident");
            }

            if (DeleteRefusal is { } refusal)
            {
                return Problem(409, refusal, "refused by the test");
            }

            if (Consents.TryGetValue(id, out var consent) && (bool?)consent["monitoring"] == true)
            {
                return Problem(409, "consent-not-withdrawn", "withdraw monitoring consent first");
            }

            Residents.TryRemove(id, out _);
            Consents.TryRemove(id, out _);
            Context.TryRemove(id, out _);
            HourlyMotion.TryRemove(id, out _);
            lock (Signals)
            {
                Signals.RemoveAll(s => (string?)s["residentId"] == id);
            }

            lock (Kits)
            {
                foreach (var kit in Kits.Where(k => (string?)k["residentId"] == id))
                {
                    kit["residentId"] = null;
                    kit["stage"] = "revoked";
                    kit["status"] = "revoked";
                }
            }

            return Results.NoContent();
        });
        app.MapGet("/api/claims/{code}", (string code) =>
            Claims.TryGetValue(Key(code), out var claim) ? Results.Json(claim) : Problem(404, "unknown-claim", "no kit with this code has reported to the hub"));
        app.MapPost("/api/enrolments", (JsonObject body) =>
        {
            if (body["claimCode"] is null || body["residentId"] is null || body["enrolledBy"] is null)
            {
                return Results.Problem(detail: "claimCode, residentId and enrolledBy are required", statusCode: 400);
            }

            return Enrol((string)body["claimCode"]!, (string)body["residentId"]!, replacing: null);
        });
        app.MapPost("/api/kits/{kitId}/replace", (string kitId, JsonObject body) =>
        {
            JsonObject? old;
            lock (Kits)
            {
                old = FindKit(kitId);
            }

            if (old is null)
            {
                return Results.NotFound();
            }

            if (body["claimCode"] is null || body["by"] is null)
            {
                return Results.Problem(detail: "claimCode and by are required", statusCode: 400);
            }

            return (string?)old["residentId"] is { } residentId
                ? Enrol((string)body["claimCode"]!, residentId, replacing: old)
                : Problem(409, "kit-not-installing", "the kit is bound to no resident");
        });
        app.MapPost("/api/kits/{kitId}/revoke", (string kitId) =>
        {
            lock (Kits)
            {
                if (FindKit(kitId) is not { } kit)
                {
                    return Results.NotFound();
                }

                kit["stage"] = "revoked";
                kit["status"] = "revoked";
                return Results.NoContent();
            }
        });
        app.MapPost("/api/kits/{kitId}/walktest", (string kitId) =>
        {
            JsonObject? kit;
            lock (Kits)
            {
                kit = FindKit(kitId)?.DeepClone().AsObject();
            }

            if (kit is null)
            {
                return Results.NotFound();
            }

            var order = new[] { "door", "motion", "mailbox-flap", "mailbox-door", "button" };
            var steps = new JsonArray();
            foreach (var sensor in kit["sensors"]!.AsArray().OrderBy(s => Array.IndexOf(order, (string?)s!["kind"])))
            {
                steps.Add(new JsonObject
                {
                    ["sensorId"] = (string?)sensor!["sensorId"], ["kind"] = (string?)sensor["kind"], ["room"] = (string?)sensor["room"],
                    ["instruction"] = null, ["status"] = steps.Count == 0 ? "current" : "waiting", ["problem"] = null, ["explanation"] = null,
                    ["events"] = 0, ["lastEventAt"] = null, ["optional"] = (string?)sensor["kind"] == "button",
                });
            }

            var test = new JsonObject
            {
                ["kitId"] = kitId, ["startedAt"] = HubSeed.Iso(Now()), ["passed"] = false,
                ["currentSensorId"] = steps.Count > 0 ? (string?)steps[0]!["sensorId"] : null, ["steps"] = steps,
            };
            WalkTests[kitId] = test;
            return Results.Json(test, statusCode: 201);
        });
        app.MapGet("/api/kits/{kitId}/walktest", (string kitId) =>
        {
            if (!WalkTests.TryGetValue(kitId, out var test))
            {
                return Problem(404, "no-walktest", "no walk test was started for this kit");
            }

            lock (test)
            {
                return Results.Json(test.DeepClone());
            }
        });
        app.MapPost("/api/kits/{kitId}/walktest/steps/{sensorId}/retry", (string kitId, string sensorId) =>
        {
            if (!WalkTests.TryGetValue(kitId, out var test))
            {
                return Problem(404, "no-walktest", "no walk test was started for this kit");
            }

            lock (test)
            {
                if (test["steps"]!.AsArray().FirstOrDefault(s => (string?)s!["sensorId"] == sensorId) is not { } step)
                {
                    return Results.NotFound();
                }

                foreach (var other in test["steps"]!.AsArray().Where(s => (string?)s!["status"] == "current"))
                {
                    other!["status"] = "waiting";
                }

                step["status"] = "current";
                step["problem"] = null;
                step["explanation"] = null;
                test["currentSensorId"] = sensorId;
                test["passed"] = false;
                return Results.NoContent();
            }
        });
        app.MapPost("/api/kits/{kitId}/golive", (string kitId, JsonObject body) =>
        {
            if (body["by"] is null)
            {
                return Results.Problem(detail: "by is required", statusCode: 400);
            }

            lock (Kits)
            {
                if (FindKit(kitId) is not { } kit)
                {
                    return Results.NotFound();
                }

                if (GoLiveRefusal is { } refusal)
                {
                    return Problem(409, refusal, "refused by the test");
                }

                if ((string?)kit["stage"] != "installing")
                {
                    return Problem(409, "kit-not-installing", "the kit is not being installed");
                }

                if (!WalkTests.TryGetValue(kitId, out var test) || (bool?)test["passed"] != true)
                {
                    return Problem(409, "walktest-incomplete", "the walk test has not passed");
                }

                var residentId = (string?)kit["residentId"];
                if (residentId is null || !Consents.TryGetValue(residentId, out var consent) || (bool?)consent["monitoring"] != true)
                {
                    return Problem(409, "consent-missing", "record the resident's monitoring consent first");
                }

                kit["stage"] = "live";
                kit["liveSince"] = HubSeed.Iso(Now());
                var resident = Residents[residentId];
                resident["monitoringSince"] = HubSeed.Iso(Now());
                resident["learningDay"] = 1;
                resident["learningDays"] = 14;
                return Results.NoContent();
            }
        });
    }

    private IResult Enrol(string code, string residentId, JsonObject? replacing)
    {
        if (!Claims.TryGetValue(Key(code), out var claim))
        {
            return Problem(404, "unknown-claim", "no kit with this code has reported to the hub");
        }

        if (!Residents.TryGetValue(residentId, out var resident))
        {
            return Problem(404, "unknown-resident", "no such resident");
        }

        switch ((string?)claim["status"])
        {
            case "enrolled" or "collected":
                return Problem(410, "claim-used", "this claim code was used already");
            case "expired":
                return Problem(410, "claim-expired", "this claim code expired");
        }

        if (!Consents.TryGetValue(residentId, out var consent) || (bool?)consent["monitoring"] != true)
        {
            return Problem(409, "consent-missing", "record the resident's monitoring consent first");
        }

        var kitId = "kit-n" + Interlocked.Increment(ref nextId).ToString("D4", CultureInfo.InvariantCulture);
        lock (Kits)
        {
            if (replacing is not null)
            {
                replacing["stage"] = "revoked";
                replacing["status"] = "revoked";
            }

            Kits.Add(new JsonObject
            {
                ["kitId"] = kitId, ["residentId"] = residentId, ["status"] = "never-seen", ["stage"] = "installing", ["liveSince"] = null,
                ["flags"] = new JsonArray(), ["sensors"] = claim["sensors"]!.DeepClone(),
            });
        }

        claim["status"] = "enrolled";
        claim["kitId"] = kitId;
        resident["kitIds"]!.AsArray().Add(kitId);
        return Results.Json(new JsonObject
        {
            ["kitId"] = kitId, ["residentId"] = residentId, ["stage"] = "installing", ["sensors"] = claim["sensors"]!.DeepClone(),
        }, statusCode: 201);
    }
}
