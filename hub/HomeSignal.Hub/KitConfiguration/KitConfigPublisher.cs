using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Registry;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.KitConfiguration;

/// <summary>
/// Keeps each kit's retained <see cref="KitConfig"/> in step with the registry: published for every active kit at hub
/// start and whenever the kit is created, bound or its sensors change; cleared (an empty retained message) for revoked
/// kits. It compares what it last published with the registry, so no registry path can forget to tell it: the registry
/// replaces a kit's immutable record on every change, so an unchanged kit is the same instance and costs one lookup.
/// </summary>
public sealed class KitConfigPublisher(KitRegistry kits, IOptions<KitConfigOptions> options, TimeProvider time, ILogger<KitConfigPublisher> logger)
{
    private readonly Dictionary<string, KitRecord> _published = new(StringComparer.Ordinal);

    /// <summary>Publishes what differs from the last publication. <paramref name="publish"/> returns false when the broker did not take it (retried next time).</summary>
    public async Task<int> ReconcileAsync(Func<string, byte[], CancellationToken, Task<bool>> publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var count = 0;
        foreach (var kit in kits.All())
        {
            if (_published.TryGetValue(kit.KitId, out var last) && ReferenceEquals(last, kit))
            {
                continue;
            }

            var payload = kit.IsRevoked ? [] : ContractReader.Write(Config(kit));
            if (!await publish(KitTopics.For(kit.KitId, KitChannel.Config), payload, cancellationToken))
            {
                continue;
            }

            _published[kit.KitId] = kit;
            count++;
            logger.LogDebug("Published the retained config of kit {Kit} (cleared: {Revoked}).", kit.KitId, kit.IsRevoked);
        }

        return count;
    }

    public KitConfig Config(KitRecord kit)
    {
        ArgumentNullException.ThrowIfNull(kit);
        return new KitConfig
        {
            KitId = kit.KitId,
            Ts = time.GetUtcNow(),
            HeartbeatIntervalSeconds = options.Value.HeartbeatIntervalSeconds,
            Sensors = [.. kit.Sensors.Select(s => new SensorAssignment(s.SensorId, s.Kind, s.Room ?? string.Empty, s.Purpose ?? string.Empty))],
        };
    }
}
