using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Api;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Provisioning;

/// <summary>
/// The walk tests running now, one per kit, fed by ingestion after each durable write. Each change is saved in the
/// registry (<see cref="WalkTestStore"/>), so after a hub restart the installer continues the same walk test: steps,
/// problems, counts and step clocks as they were (go-live still needs a passed one).
/// </summary>
public sealed class WalkTests : IStoredEventObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WalkTest> _tests = new(StringComparer.Ordinal);

    /// <summary>The JSON last saved per kit: a view that changed nothing writes nothing.</summary>
    private readonly Dictionary<string, string> _saved = new(StringComparer.Ordinal);

    private readonly WalkTestStore _store;
    private readonly IOptions<ProvisioningOptions> _options;
    private readonly TimeProvider _time;

    public WalkTests(WalkTestStore store, KitRegistry kits, IOptions<ProvisioningOptions> options, TimeProvider time, ILogger<WalkTests> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kits);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options;
        _time = time;
        foreach (var stored in store.LoadAll())
        {
            var test = Restore(stored, options.Value);
            if (test is null)
            {
                // A state this version cannot read: the installer starts the walk test again (a crash would be worse).
                logger.LogWarning("The saved walk test of kit {Kit} (from {At}) cannot be read and is dropped; start it again.", stored.KitId, stored.UpdatedAt);
                store.Delete(stored.KitId);
                continue;
            }

            if (kits.Find(test.KitId) is not { Stage: KitStages.Installing })
            {
                // The kit was deleted or revoked by a path that does not know about walk tests: nothing to continue.
                store.Delete(stored.KitId);
                continue;
            }

            _tests[test.KitId] = test;
            _saved[test.KitId] = stored.StateJson;
        }

        if (_tests.Count > 0)
        {
            logger.LogInformation("Continuing {Count} walk test(s) saved before the hub restarted.", _tests.Count);
        }
    }

    public WalkTestView Start(KitRecord kit)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var test = new WalkTest(kit.KitId, kit.Sensors, _options.Value, now);
            _tests[kit.KitId] = test;
            var view = test.View(now);
            Save(test, now);
            return view;
        }
    }

    public WalkTestView? View(string kitId)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_tests.TryGetValue(kitId, out var test))
            {
                return null;
            }

            var view = test.View(now); // may time out a step or make the next one current
            Save(test, now);
            return view;
        }
    }

    public bool HasPassed(string kitId) => View(kitId)?.Passed == true;

    /// <summary>Makes a step current again: null when there is no walk test, false when the sensor is not in it.</summary>
    public bool? Retry(string kitId, string sensorId)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_tests.TryGetValue(kitId, out var test))
            {
                return null;
            }

            var retried = test.Retry(sensorId, now);
            Save(test, now);
            return retried;
        }
    }

    public void Remove(string kitId)
    {
        lock (_gate)
        {
            _tests.Remove(kitId);
            if (_saved.Remove(kitId))
            {
                _store.Delete(kitId);
            }
        }
    }

    public void OnStored(IReadOnlyList<EventToStore> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        lock (_gate)
        {
            if (_tests.Count == 0)
            {
                return;
            }

            HashSet<WalkTest>? touched = null;
            foreach (var e in stored)
            {
                if (e.QuarantineReason is null && e.Event.Kind != SensorKind.Kit && _tests.TryGetValue(e.Event.KitId, out var test))
                {
                    test.OnEvent(e.Event.SensorId, e.Event.State, e.Event.Ts, e.ReceivedAt);
                    (touched ??= []).Add(test);
                }
            }

            foreach (var test in touched ?? [])
            {
                Save(test, _time.GetUtcNow());
            }
        }
    }

    private static WalkTest? Restore(StoredWalkTest stored, ProvisioningOptions options)
    {
        try
        {
            var state = JsonSerializer.Deserialize<WalkTestState>(stored.StateJson, ApiInput.Json);
            return state is null || state.KitId != stored.KitId ? null : WalkTest.FromState(state, options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Saves the test when it changed since it was last saved. Called under <see cref="_gate"/>.</summary>
    private void Save(WalkTest test, DateTimeOffset now)
    {
        var json = JsonSerializer.Serialize(test.ToState(), ApiInput.Json);
        if (_saved.TryGetValue(test.KitId, out var saved) && saved == json)
        {
            return;
        }

        _store.Save(test.KitId, json, now);
        _saved[test.KitId] = json;
    }
}
