using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Signals;

namespace HomeSignal.Hub.Api;

public sealed record IngestStatsView(long Received, long Stored, long Duplicates, long Quarantined, IReadOnlyDictionary<string, long> Rejected);

/// <summary>/api/signals and /api/ingest/stats.</summary>
public static class SignalEndpoints
{
    public static void MapSignalEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/signals", async (string? since, SignalStore signals, CancellationToken ct) =>
        {
            if (since is null)
            {
                return ApiInput.BadRequest("since is required (ISO 8601 time).");
            }

            if (!ApiInput.TryTime(since, "since", out var s, out var error))
            {
                return error!;
            }

            return Results.Ok(await signals.SinceAsync(s!.Value, ct));
        });

        api.MapGet("/ingest/stats", (IngestStats stats) =>
            Results.Ok(new IngestStatsView(stats.Received, stats.Stored, stats.Duplicates, stats.Quarantined, stats.Rejected)));
    }
}
