using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Health;

/// <summary>A sensor's history as staleness needs it: its first and last event in the window and its longest gap.</summary>
public sealed record GapProfile(DateTimeOffset FirstEvent, DateTimeOffset LastEvent, TimeSpan LongestGap);

/// <summary>
/// The longest gaps per sensor, kept up to date as events are stored, so the staleness check reads no raw events.
/// Per sensor and UTC day it keeps the first and last event and the longest gap ending that day; the window's longest
/// gap is the largest of its days. Events arriving out of order (a replayed outbox) can only shorten a gap, so they leave
/// the recorded gaps as they are: the profile errs towards a longer gap, i.e. later and fewer maintenance signals.
/// Persisted in the registry file (table <c>sensor_gaps</c>) on the watchdog's tick.
/// </summary>
public sealed class SensorGapProfiles
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS sensor_gaps(
            kit_id TEXT NOT NULL, sensor_id TEXT NOT NULL, day INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,
            longest_gap_ms INTEGER NOT NULL, PRIMARY KEY(kit_id, sensor_id, day));
        CREATE TABLE IF NOT EXISTS sensor_gap_kits(kit_id TEXT PRIMARY KEY);
        """;

    private readonly SqliteDatabase _db;
    private readonly HealthOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Kit, string Sensor), Sensor> _sensors = [];
    private readonly HashSet<string> _seeded = new(StringComparer.Ordinal);
    private readonly HashSet<(string Kit, string Sensor, long Day)> _dirty = [];
    private long _prunedBefore;
    private readonly HashSet<string> _dirtySeeded = new(StringComparer.Ordinal);

    public SensorGapProfiles(RegistryDatabase database, IOptions<HealthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        _db = database.Database;
        _options = options.Value;
        Load();
    }

    /// <summary>One stored event (called by the health tracker for every event the store took).</summary>
    public void Note(string kitId, string sensorId, DateTimeOffset ts)
    {
        lock (_gate)
        {
            if (!_sensors.TryGetValue((kitId, sensorId), out var sensor))
            {
                _sensors[(kitId, sensorId)] = sensor = new Sensor();
            }

            _dirty.Add((kitId, sensorId, sensor.Note(ts, _options.GapHistory)));
        }
    }

    /// <summary>Whether this kit's profiles were built from its stored history once (after an upgrade, or for a new kit).</summary>
    public bool IsSeeded(string kitId)
    {
        lock (_gate)
        {
            return _seeded.Contains(kitId);
        }
    }

    /// <summary>
    /// Builds a kit's profiles from its stored events once. The history holds every event noted so far (they were stored
    /// before being noted); days noted while it was read are merged in.
    /// </summary>
    public void Seed(string kitId, IEnumerable<(string SensorId, DateTimeOffset Ts)> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        lock (_gate)
        {
            foreach (var group in history.GroupBy(h => h.SensorId, StringComparer.Ordinal))
            {
                var sensor = new Sensor();
                foreach (var (_, ts) in group.OrderBy(h => h.Ts))
                {
                    sensor.Note(ts, _options.GapHistory);
                }

                if (_sensors.TryGetValue((kitId, group.Key), out var noted))
                {
                    foreach (var (key, day) in noted.Days)
                    {
                        sensor.Merge(key, day);
                    }
                }

                _sensors[(kitId, group.Key)] = sensor;
                foreach (var day in sensor.Days.Keys)
                {
                    _dirty.Add((kitId, group.Key, day));
                }
            }

            _seeded.Add(kitId);
            _dirtySeeded.Add(kitId);
        }
    }

    /// <summary>The sensor's profile over the last <see cref="HealthOptions.GapHistory"/>, or null without events in it.</summary>
    public GapProfile? Profile(string kitId, string sensorId, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _sensors.TryGetValue((kitId, sensorId), out var sensor) ? sensor.Profile(now - _options.GapHistory) : null;
        }
    }

    /// <summary>
    /// Writes the days that changed since the last save (one row per sensor that had events, not its whole window), and
    /// once a day deletes the days that left the window.
    /// </summary>
    public async Task SaveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<(string Kit, string Sensor, long Day, Day Value)> changed;
        List<string> seeded;
        var oldest = Sensor.DayOf(now - _options.GapHistory) - 1;
        bool prune;
        lock (_gate)
        {
            changed = [.. _dirty.Where(k => _sensors[(k.Kit, k.Sensor)].Days.ContainsKey(k.Day)).Select(k => (k.Kit, k.Sensor, k.Day, _sensors[(k.Kit, k.Sensor)].Days[k.Day]))];
            seeded = [.. _dirtySeeded];
            _dirty.Clear();
            _dirtySeeded.Clear();
            prune = oldest > _prunedBefore;
            _prunedBefore = Math.Max(_prunedBefore, oldest);
        }

        if (changed.Count == 0 && seeded.Count == 0 && !prune)
        {
            return;
        }

        await _db.WriteAsync(command =>
        {
            command.CommandText = "INSERT OR REPLACE INTO sensor_gaps(kit_id, sensor_id, day, first_ts, last_ts, longest_gap_ms) VALUES($k, $s, $d, $f, $l, $g);";
            var k = command.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Text);
            var s = command.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Text);
            var d = command.Parameters.Add("$d", Microsoft.Data.Sqlite.SqliteType.Integer);
            var f = command.Parameters.Add("$f", Microsoft.Data.Sqlite.SqliteType.Integer);
            var l = command.Parameters.Add("$l", Microsoft.Data.Sqlite.SqliteType.Integer);
            var g = command.Parameters.Add("$g", Microsoft.Data.Sqlite.SqliteType.Integer);
            foreach (var (kit, sensorId, day, value) in changed)
            {
                k.Value = kit;
                s.Value = sensorId;
                d.Value = day;
                f.Value = SqliteTime.ToMs(value.First);
                l.Value = SqliteTime.ToMs(value.Last);
                g.Value = (long)value.LongestGap.TotalMilliseconds;
                command.ExecuteNonQuery();
            }

            command.Parameters.Clear();
            command.CommandText = "INSERT OR IGNORE INTO sensor_gap_kits(kit_id) VALUES($k);";
            var seededKit = command.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var kit in seeded)
            {
                seededKit.Value = kit;
                command.ExecuteNonQuery();
            }

            if (prune)
            {
                command.Parameters.Clear();
                command.CommandText = "DELETE FROM sensor_gaps WHERE day < $oldest;";
                command.Parameters.AddWithValue("$oldest", oldest);
                command.ExecuteNonQuery();
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Forgets these kits' profiles (decommissioning): the first and last event per sensor and day tell when a person got
    /// up and went to bed, so they are a resident's data like the events themselves.
    /// </summary>
    public async Task ForgetAsync(IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kitIds);
        var kits = kitIds.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var key in _sensors.Keys.Where(k => kits.Contains(k.Kit)).ToList())
            {
                _sensors.Remove(key);
            }

            _dirty.RemoveWhere(k => kits.Contains(k.Kit));
            _dirtySeeded.ExceptWith(kits);
            _seeded.ExceptWith(kits);
        }

        await _db.WriteAsync(command =>
        {
            command.CommandText = "DELETE FROM sensor_gaps WHERE kit_id = $k; DELETE FROM sensor_gap_kits WHERE kit_id = $k;";
            var k = command.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var kit in kits)
            {
                k.Value = kit;
                command.ExecuteNonQuery();
            }
        }, cancellationToken);
    }

    private void Load()
    {
        _db.EnsureSchema(Schema);
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kit_id, sensor_id, day, first_ts, last_ts, longest_gap_ms FROM sensor_gaps;";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!_sensors.TryGetValue(key, out var sensor))
                {
                    _sensors[key] = sensor = new Sensor();
                }

                sensor.Restore(reader.GetInt64(2), new Day(SqliteTime.FromMs(reader.GetInt64(3)), SqliteTime.FromMs(reader.GetInt64(4)), TimeSpan.FromMilliseconds(reader.GetInt64(5))));
            }
        }

        command.CommandText = "SELECT kit_id FROM sensor_gap_kits;";
        using var kits = command.ExecuteReader();
        while (kits.Read())
        {
            _seeded.Add(kits.GetString(0));
        }
    }

    private readonly record struct Day(DateTimeOffset First, DateTimeOffset Last, TimeSpan LongestGap);

    private sealed class Sensor
    {
        public SortedDictionary<long, Day> Days { get; } = [];

        public DateTimeOffset? Last { get; private set; }

        /// <summary>Notes one event; returns the day it touched.</summary>
        public long Note(DateTimeOffset ts, TimeSpan window)
        {
            var key = DayOf(ts);
            var gap = Last is { } last && ts >= last ? ts - last : TimeSpan.Zero;
            Last = Last is { } l && l > ts ? l : ts;
            if (Days.TryGetValue(key, out var day))
            {
                // The hot path (ingestion calls it per stored event): no allocation.
                Days[key] = new Day(ts < day.First ? ts : day.First, ts > day.Last ? ts : day.Last, gap > day.LongestGap ? gap : day.LongestGap);
                return key;
            }

            Days[key] = new Day(ts, ts, gap);

            // A new day: drop days older than the window (keeping one more, as the oldest may straddle its start).
            var oldest = DayOf(Last.Value - window) - 1;
            while (Days.Count > 0 && Days.Keys.First() < oldest)
            {
                Days.Remove(Days.Keys.First());
            }

            return key;
        }

        public void Restore(long key, Day day)
        {
            Days[key] = day;
            Last = Last is { } l && l > day.Last ? l : day.Last;
        }

        public void Merge(long key, Day day) =>
            Restore(key, Days.TryGetValue(key, out var mine)
                ? new Day(mine.First < day.First ? mine.First : day.First, mine.Last > day.Last ? mine.Last : day.Last, mine.LongestGap > day.LongestGap ? mine.LongestGap : day.LongestGap)
                : day);

        public GapProfile? Profile(DateTimeOffset from)
        {
            var inWindow = Days.Where(d => d.Value.Last >= from).Select(d => d.Value).ToList();
            if (inWindow.Count == 0)
            {
                return null;
            }

            var first = inWindow[0].First < from ? from : inWindow[0].First;
            return new GapProfile(first, inWindow.Max(d => d.Last), inWindow.Max(d => d.LongestGap));
        }

        public static long DayOf(DateTimeOffset ts) => ts.ToUnixTimeSeconds() / 86_400;
    }
}
