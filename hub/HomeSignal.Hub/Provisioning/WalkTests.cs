using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Provisioning;

/// <summary>
/// The walk tests running now, one per kit, fed by ingestion after each durable write. Kept in memory: a walk test
/// belongs to one visit, and a hub restart only means the installer starts it again (go-live needs a passed one).
/// </summary>
public sealed class WalkTests(IOptions<ProvisioningOptions> options, TimeProvider time) : IStoredEventObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WalkTest> _tests = new(StringComparer.Ordinal);

    public WalkTestView Start(KitRecord kit)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var test = new WalkTest(kit.KitId, kit.Sensors, options.Value, now);
            _tests[kit.KitId] = test;
            return test.View(now);
        }
    }

    public WalkTestView? View(string kitId)
    {
        lock (_gate)
        {
            return _tests.TryGetValue(kitId, out var test) ? test.View(time.GetUtcNow()) : null;
        }
    }

    public bool HasPassed(string kitId)
    {
        lock (_gate)
        {
            return _tests.TryGetValue(kitId, out var test) && test.View(time.GetUtcNow()).Passed;
        }
    }

    /// <summary>Makes a step current again: null when there is no walk test, false when the sensor is not in it.</summary>
    public bool? Retry(string kitId, string sensorId)
    {
        lock (_gate)
        {
            return _tests.TryGetValue(kitId, out var test) ? test.Retry(sensorId, time.GetUtcNow()) : null;
        }
    }

    public void Remove(string kitId)
    {
        lock (_gate)
        {
            _tests.Remove(kitId);
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

            foreach (var e in stored)
            {
                if (e.QuarantineReason is null && e.Event.Kind != SensorKind.Kit && _tests.TryGetValue(e.Event.KitId, out var test))
                {
                    test.OnEvent(e.Event.SensorId, e.Event.State, e.Event.Ts, e.ReceivedAt);
                }
            }
        }
    }
}
