using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Health;

/// <summary>
/// Turns kit silence into kit-maintenance signals (layer "data-health"): a kit offline after three missed heartbeats
/// (or its last will), and a sensor silent far longer than its own longest gap of recent weeks. These are for
/// installers and never count as the resident being inactive.
/// </summary>
public sealed class KitWatchdog(
    KitHealthTracker tracker,
    KitHealthStore healthStore,
    KitRegistry kits,
    SignalStore signals,
    IEventStore events,
    IOptions<HealthOptions> options,
    TimeProvider time,
    ILogger<KitWatchdog> logger)
{
    /// <summary>Marks kits offline or back online, raises or resolves their signals, and persists latest health.</summary>
    public async Task CheckKitsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var t in tracker.Evaluate(now))
        {
            var kit = kits.Find(t.KitId);
            if (t.Offline && kit is not { IsLive: true })
            {
                continue; // A kit being installed raises no signals (nobody is monitored through it yet).
            }

            if (t.Offline)
            {
                var signal = new Signal
                {
                    SignalId = string.Create(CultureInfo.InvariantCulture, $"kit-offline-{t.KitId}-{t.Since.ToUnixTimeSeconds()}"),
                    ResidentId = kit?.ResidentId,
                    Kind = SignalVocabulary.KitOffline,
                    Layer = SignalVocabulary.DataHealth,
                    Severity = "today",
                    RaisedAt = now,
                    UpdatedAt = now,
                    Since = t.Since,
                    Title = "Sensorkit geeft geen signaal",
                    Reason = string.Create(CultureInfo.InvariantCulture,
                        $"De sensorkit {t.KitId} is sinds {t.Since:yyyy-MM-dd HH:mm} UTC niet meer bereikbaar. Dit zegt niets over de bewoner: de kit moet worden nagekeken."),
                    Question = "Kan een installateur nagaan of de kit stroom en internet heeft?",
                    Evidence = [string.Create(CultureInfo.InvariantCulture, $"laatste teken van leven: {t.Since:O}")],
                };
                await signals.UpsertAsync(signal, cancellationToken);
                tracker.SetOpenSignal(t.KitId, signal.SignalId);
                logger.LogWarning("Kit {Kit} is offline since {Since}.", t.KitId, t.Since);
            }
            else
            {
                await ResolveAsync(t.OpenSignalId, now, cancellationToken);
                logger.LogInformation("Kit {Kit} is back online.", t.KitId);
            }
        }

        await healthStore.SaveAsync(tracker.TakeDirty(), cancellationToken);
    }

    /// <summary>Judges each registered sensor of each online kit against its own history of gaps.</summary>
    public async Task CheckSensorsAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        foreach (var kit in kits.All().Where(k => k.IsLive && k.Sensors.Count > 0))
        {
            if (tracker.IsKitOffline(kit.KitId, now))
            {
                // An offline kit is one maintenance signal, not one per sensor.
                continue;
            }

            var history = await events.QueryEventsAsync(new EventQuery
            {
                KitIds = [kit.KitId],
                From = now - o.GapHistory,
                To = now + TimeSpan.FromMinutes(1),
                Order = EventOrder.OldestFirst,
                Limit = 500_000,
            }, cancellationToken);
            var view = tracker.View(kit.KitId, now);
            foreach (var sensor in kit.Sensors.Where(s => s.Kind != SensorKind.Kit))
            {
                var times = history.Where(e => e.SensorId == sensor.SensorId).Select(e => e.Ts).ToList();
                var verdict = Judge(times, view.SensorLastEvent.GetValueOrDefault(sensor.SensorId), now, o);
                var signalId = verdict is null ? null
                    : string.Create(CultureInfo.InvariantCulture, $"sensor-stale-{kit.KitId}-{sensor.SensorId}-{verdict.LastEvent.ToUnixTimeSeconds()}");
                var (changed, previous) = tracker.SetStale(kit.KitId, sensor.SensorId, signalId);
                if (!changed)
                {
                    continue;
                }

                if (verdict is null)
                {
                    await ResolveAsync(previous, now, cancellationToken);
                    continue;
                }

                await signals.UpsertAsync(new Signal
                {
                    SignalId = signalId!,
                    ResidentId = kit.ResidentId,
                    Kind = SignalVocabulary.SensorStale,
                    Layer = SignalVocabulary.DataHealth,
                    Severity = "this-week",
                    RaisedAt = now,
                    UpdatedAt = now,
                    Since = verdict.LastEvent,
                    Title = "Sensor geeft geen signaal",
                    Reason = string.Create(CultureInfo.InvariantCulture,
                        $"Sensor {sensor.SensorId}{(sensor.Room is null ? "" : $" ({sensor.Room})")} meldt al {verdict.Silence.TotalHours:0} uur niets; de langste stilte in de afgelopen weken was {verdict.LongestGap.TotalHours:0.#} uur. Dit zegt niets over de bewoner: de sensor moet worden nagekeken."),
                    TodayValue = string.Create(CultureInfo.InvariantCulture, $"{verdict.Silence.TotalHours:0} uur stil"),
                    NormalRange = string.Create(CultureInfo.InvariantCulture, $"hoogstens {verdict.LongestGap.TotalHours:0.#} uur stil"),
                    Sensors = [sensor.SensorId],
                    Question = "Kan een installateur de batterij en de plaatsing van de sensor nakijken?",
                    Evidence = [string.Create(CultureInfo.InvariantCulture, $"laatste melding: {verdict.LastEvent:O}")],
                }, cancellationToken);
                logger.LogWarning("Sensor {Kit}/{Sensor} is stale: silent {Silence}.", kit.KitId, sensor.SensorId, verdict.Silence);
            }
        }
    }

    /// <summary>A sensor is stale when silent longer than factor × its longest gap (and the minimum), given enough history.</summary>
    public static StaleVerdict? Judge(IReadOnlyList<DateTimeOffset> eventTimes, DateTimeOffset lastKnown, DateTimeOffset now, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(eventTimes);
        ArgumentNullException.ThrowIfNull(options);
        if (eventTimes.Count == 0)
        {
            return null;
        }

        var first = eventTimes[0];
        var last = eventTimes[^1] > lastKnown ? eventTimes[^1] : lastKnown;
        if (now - first < options.MinimumHistory)
        {
            return null;
        }

        var longest = TimeSpan.Zero;
        for (var i = 1; i < eventTimes.Count; i++)
        {
            var gap = eventTimes[i] - eventTimes[i - 1];
            longest = gap > longest ? gap : longest;
        }

        var silence = now - last;
        var limit = longest * options.StaleGapFactor;
        limit = limit > options.MinimumStaleAfter ? limit : options.MinimumStaleAfter;
        return silence > limit ? new StaleVerdict(last, silence, longest) : null;
    }

    private async Task ResolveAsync(string? signalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (signalId is not null && await signals.FindAsync(signalId, cancellationToken) is { } open)
        {
            await signals.UpsertAsync(open with { UpdatedAt = now, ResolvedAt = now }, cancellationToken);
        }
    }
}

public sealed record StaleVerdict(DateTimeOffset LastEvent, TimeSpan Silence, TimeSpan LongestGap);
