using System.Collections.Concurrent;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Registry;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Health;

/// <summary>What the hub knows of one kit's liveness.</summary>
public sealed record KitPresenceView(
    string Status,
    DateTimeOffset? LastSeen,
    DateTimeOffset? LastHeartbeat,
    Heartbeat? Heartbeat,
    IReadOnlyDictionary<string, DateTimeOffset> SensorLastEvent,
    IReadOnlySet<string> StaleSensors);

/// <summary>A kit went offline (or came back) since the last evaluation.</summary>
public sealed record KitTransition(string KitId, bool Offline, DateTimeOffset Since, string? OpenSignalId);

/// <summary>
/// Last-seen bookkeeping over heartbeats, status messages and events, in memory (thousands of kits heartbeat every
/// minute); the watchdog evaluates it and persists the latest heartbeat per kit. A kit is offline once it has been
/// silent for <see cref="HealthOptions.MissedHeartbeats"/> heartbeat intervals, or at once when its last will says so.
/// </summary>
public sealed class KitHealthTracker(KitRegistry kits, IOptions<HealthOptions> options, SensorGapProfiles? gaps = null)
{
    private readonly ConcurrentDictionary<string, Presence> _presence = new(StringComparer.Ordinal);

    public const string Online = "online";
    public const string Offline = "offline";
    public const string NeverSeen = "never-seen";
    public const string Revoked = "revoked";

    public void OnHeartbeat(Heartbeat heartbeat, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var p = _presence.GetOrAdd(heartbeat.KitId, _ => new Presence());
        lock (p)
        {
            p.Alive(receivedAt);
            p.LastHeartbeat = receivedAt;
            p.Heartbeat = heartbeat;
            p.IntervalSeconds = heartbeat.IntervalSeconds;
            foreach (var sensor in heartbeat.Sensors)
            {
                if (sensor.LastChange is { } change && change <= receivedAt)
                {
                    p.NoteSensor(sensor.SensorId, change);
                }
            }
        }
    }

    public void OnStatus(KitStatus status, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(status);
        var p = _presence.GetOrAdd(status.KitId, _ => new Presence());
        lock (p)
        {
            p.LastSeen = Max(p.LastSeen, receivedAt);
            p.Dirty = true;
            if (status.State == KitState.Offline)
            {
                p.WillOfflineAt = receivedAt;
            }
            else
            {
                p.Alive(receivedAt);
            }
        }
    }

    public void OnEvent(string kitId, string sensorId, DateTimeOffset ts, DateTimeOffset receivedAt)
    {
        var p = _presence.GetOrAdd(kitId, _ => new Presence());
        lock (p)
        {
            p.Alive(receivedAt);
            p.NoteSensor(sensorId, ts <= receivedAt ? ts : receivedAt);
        }

        gaps?.Note(kitId, sensorId, ts <= receivedAt ? ts : receivedAt);
    }

    public KitPresenceView View(string kitId, DateTimeOffset now)
    {
        var kit = kits.Find(kitId);
        if (!_presence.TryGetValue(kitId, out var p))
        {
            return new KitPresenceView(kit is { IsRevoked: true } ? Revoked : NeverSeen, null, null, null,
                new Dictionary<string, DateTimeOffset>(), new HashSet<string>());
        }

        lock (p)
        {
            var status = kit is { IsRevoked: true } ? Revoked : IsOffline(p, now) ? Offline : Online;
            return new KitPresenceView(status, p.LastSeen, p.LastHeartbeat, p.Heartbeat,
                new Dictionary<string, DateTimeOffset>(p.SensorLastEvent, StringComparer.Ordinal),
                new HashSet<string>(p.StaleSignals.Keys, StringComparer.Ordinal));
        }
    }

    /// <summary>Kits whose offline state changed since the last call (revoked kits are not watched).</summary>
    public IReadOnlyList<KitTransition> Evaluate(DateTimeOffset now)
    {
        var transitions = new List<KitTransition>();
        foreach (var (kitId, p) in _presence)
        {
            if (kits.Find(kitId) is not { IsRevoked: false })
            {
                continue;
            }

            lock (p)
            {
                var offline = IsOffline(p, now);
                if (offline == p.ReportedOffline)
                {
                    continue;
                }

                p.ReportedOffline = offline;
                p.Dirty = true;
                var since = offline ? OfflineSince(p) : p.LastAlive ?? now;
                transitions.Add(new KitTransition(kitId, offline, since, p.OpenSignalId));
                if (!offline)
                {
                    p.OpenSignalId = null;
                }
            }
        }

        return transitions;
    }

    public void SetOpenSignal(string kitId, string signalId)
    {
        if (_presence.TryGetValue(kitId, out var p))
        {
            lock (p)
            {
                p.OpenSignalId = signalId;
            }
        }
    }

    /// <summary>Marks a sensor stale (with its open signal id) or fresh; returns the previous signal id when it changed.</summary>
    public (bool Changed, string? PreviousSignalId) SetStale(string kitId, string sensorId, string? signalId)
    {
        var p = _presence.GetOrAdd(kitId, _ => new Presence());
        lock (p)
        {
            var had = p.StaleSignals.TryGetValue(sensorId, out var previous);
            if (signalId is null)
            {
                p.StaleSignals.Remove(sensorId);
                return (had, previous);
            }

            if (had)
            {
                return (false, previous);
            }

            p.StaleSignals[sensorId] = signalId;
            return (true, null);
        }
    }

    public bool IsKitOffline(string kitId, DateTimeOffset now)
    {
        if (!_presence.TryGetValue(kitId, out var p))
        {
            return false;
        }

        lock (p)
        {
            return IsOffline(p, now);
        }
    }

    /// <summary>Latest state of kits that changed since the last call, for persisting.</summary>
    public IReadOnlyList<KitHealthSnapshot> TakeDirty()
    {
        var result = new List<KitHealthSnapshot>();
        foreach (var (kitId, p) in _presence)
        {
            lock (p)
            {
                if (p.Dirty)
                {
                    p.Dirty = false;
                    result.Add(new KitHealthSnapshot(kitId, p.LastSeen, p.LastHeartbeat, p.ReportedOffline, p.Heartbeat));
                }
            }
        }

        return result;
    }

    /// <summary>Restores what was persisted before a restart, so "last seen" survives it.</summary>
    public void Restore(IEnumerable<KitHealthSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        foreach (var s in snapshots)
        {
            var p = _presence.GetOrAdd(s.KitId, _ => new Presence());
            lock (p)
            {
                p.LastSeen = s.LastSeen;
                p.LastAlive = s.LastSeen;
                p.LastHeartbeat = s.LastHeartbeat;
                p.Heartbeat = s.Heartbeat;
                p.IntervalSeconds = s.Heartbeat?.IntervalSeconds;
                p.ReportedOffline = s.Offline;
            }
        }
    }

    private bool IsOffline(Presence p, DateTimeOffset now)
    {
        if (p.WillOfflineAt is { } will && (p.LastAlive is null || will >= p.LastAlive))
        {
            return true;
        }

        var interval = TimeSpan.FromSeconds(p.IntervalSeconds ?? options.Value.DefaultHeartbeatIntervalSeconds);
        return p.LastAlive is { } alive && now - alive >= interval * options.Value.MissedHeartbeats;
    }

    private static DateTimeOffset OfflineSince(Presence p) =>
        p.WillOfflineAt is { } will && (p.LastAlive is null || will >= p.LastAlive) ? will : p.LastAlive ?? p.LastSeen ?? DateTimeOffset.MinValue;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private sealed class Presence
    {
        public DateTimeOffset? LastSeen { get; set; }

        public DateTimeOffset? LastAlive { get; set; }

        public DateTimeOffset? LastHeartbeat { get; set; }

        public DateTimeOffset? WillOfflineAt { get; set; }

        public Heartbeat? Heartbeat { get; set; }

        public int? IntervalSeconds { get; set; }

        public bool ReportedOffline { get; set; }

        public string? OpenSignalId { get; set; }

        public bool Dirty { get; set; }

        public Dictionary<string, DateTimeOffset> SensorLastEvent { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> StaleSignals { get; } = new(StringComparer.Ordinal);

        public void Alive(DateTimeOffset at)
        {
            LastSeen = KitHealthTracker.Max(LastSeen, at);
            LastAlive = KitHealthTracker.Max(LastAlive, at);
            if (WillOfflineAt is { } will && at > will)
            {
                WillOfflineAt = null;
            }

            Dirty = true;
        }

        public void NoteSensor(string sensorId, DateTimeOffset at)
        {
            if (!SensorLastEvent.TryGetValue(sensorId, out var previous) || at > previous)
            {
                SensorLastEvent[sensorId] = at;
            }
        }
    }
}

public sealed record KitHealthSnapshot(string KitId, DateTimeOffset? LastSeen, DateTimeOffset? LastHeartbeat, bool Offline, Heartbeat? Heartbeat);
