using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using Microsoft.Data.Sqlite;

namespace HomeSignal.Edge.Outbox;

/// <summary>One event waiting for the hub's ack.</summary>
public sealed record PendingEvent(long Seq, string BootId, byte[] Payload);

/// <summary>Depth, size and age of the outbox.</summary>
public sealed record OutboxStats(long Depth, long Bytes, DateTimeOffset? Oldest, long CapacityEvents, long CapacityBytes, long DroppedTotal);

/// <summary>
/// The durable outbox: SQLite in WAL mode with synchronous=FULL, so a committed event survives a power cut. Sequence
/// numbers are per kit, strictly increasing and persisted (<c>meta.last_seq</c>), so they continue across restarts.
/// An event leaves only through <see cref="Release"/>, i.e. when the hub has acknowledged it after its own durable write,
/// or — documented overflow policy — when the outbox is full: then the oldest events are dropped, counted, logged and
/// announced by an <c>outbox-full</c> kit event that the hub receives in order, right after the gap.
/// </summary>
public sealed class OutboxStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _db;
    private readonly long _capacityEvents;
    private readonly long _capacityBytes;
    private long _lastSeq;
    private long _depth;
    private long _bytes;
    private long _droppedTotal;

    public OutboxStore(string path, long capacityEvents, long capacityBytes)
    {
        _capacityEvents = capacityEvents;
        _capacityBytes = capacityBytes;
        CreatePrivateFile(path);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS outbox (
                seq INTEGER PRIMARY KEY,
                boot_id TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                payload BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """);
        _lastSeq = Math.Max(Scalar("SELECT COALESCE(MAX(seq), 0) FROM outbox"), Scalar("SELECT COALESCE((SELECT value FROM meta WHERE key = 'last_seq'), 0)"));
        _depth = Scalar("SELECT COUNT(*) FROM outbox");
        _bytes = Scalar("SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM outbox");
        UsedBefore = _lastSeq > 0;
        _droppedTotal = Scalar("SELECT COALESCE((SELECT value FROM meta WHERE key = 'dropped_total'), 0)");
    }

    /// <summary>Raised (outside the lock) when the overflow policy dropped events: count, first and last dropped seq.</summary>
    public event Action<long, long, long>? Dropped;

    /// <summary>Whether an earlier run had already recorded events in this outbox.</summary>
    public bool UsedBefore { get; }

    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _lastSeq;
            }
        }
    }

    public string JournalMode => (string)Query("PRAGMA journal_mode;")!;

    public long Synchronous => Convert.ToInt64(Query("PRAGMA synchronous;"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Appends events built from the next sequence numbers in one transaction; committed (fsynced) when this returns.
    /// <paramref name="overflowEvent"/> builds the kit event written first when the overflow policy had to drop events.
    /// </summary>
    public IReadOnlyList<SensorEvent> Append(IReadOnlyList<Func<long, SensorEvent>> builds, Func<long, SensorEvent> overflowEvent)
    {
        (long Count, long From, long To) dropped = default;
        var written = new List<SensorEvent>(builds.Count + 1);
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            var seq = _lastSeq;
            var events = builds.Select(b => b(++seq)).ToList();
            var payloads = events.Select(ContractReader.Write).ToList();
            var incomingBytes = payloads.Sum(p => (long)p.Length);
            if (_depth + events.Count > _capacityEvents || _bytes + incomingBytes > _capacityBytes)
            {
                dropped = DropOldest(tx, events.Count + 1, incomingBytes + 512);
                var full = overflowEvent(_lastSeq + 1);
                events.Insert(0, full);
                payloads.Insert(0, ContractReader.Write(full));
                seq = _lastSeq + 1;
                for (var i = 1; i < events.Count; i++)
                {
                    events[i] = events[i] with { Seq = ++seq };
                    payloads[i] = ContractReader.Write(events[i]);
                }
            }

            using var insert = _db.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO outbox (seq, boot_id, created_ms, payload) VALUES ($seq, $boot, $created, $payload)";
            var pSeq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var pBoot = insert.Parameters.Add("$boot", SqliteType.Text);
            var pCreated = insert.Parameters.Add("$created", SqliteType.Integer);
            var pPayload = insert.Parameters.Add("$payload", SqliteType.Blob);
            for (var i = 0; i < events.Count; i++)
            {
                pSeq.Value = events[i].Seq;
                pBoot.Value = events[i].BootId;
                pCreated.Value = events[i].Ts.ToUnixTimeMilliseconds();
                pPayload.Value = payloads[i];
                insert.ExecuteNonQuery();
            }

            var last = events[^1].Seq;
            SetMeta(tx, "last_seq", last);
            if (dropped.Count > 0)
            {
                SetMeta(tx, "dropped_total", _droppedTotal + dropped.Count);
            }

            tx.Commit();
            _lastSeq = last;
            _depth += events.Count;
            _bytes += payloads.Sum(p => (long)p.Length);
            _droppedTotal += dropped.Count;
            written.AddRange(events);
        }

        if (dropped.Count > 0)
        {
            Dropped?.Invoke(dropped.Count, dropped.From, dropped.To);
        }

        return written;
    }

    /// <summary>Events after <paramref name="afterSeq"/> in sequence order.</summary>
    public IReadOnlyList<PendingEvent> ReadAfter(long afterSeq, int max)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT seq, boot_id, payload FROM outbox WHERE seq > $after ORDER BY seq LIMIT $max";
            cmd.Parameters.AddWithValue("$after", afterSeq);
            cmd.Parameters.AddWithValue("$max", max);
            using var reader = cmd.ExecuteReader();
            var list = new List<PendingEvent>();
            while (reader.Read())
            {
                list.Add(new PendingEvent(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2)));
            }

            return list;
        }
    }

    /// <summary>Removes the acknowledged events of one boot; returns how many left the outbox.</summary>
    public int Release(string bootId, long from, long to) => Release([new SeqRange(bootId, from, to)]);

    /// <summary>Removes all acknowledged ranges in one transaction (one fsync per hub ack); returns how many left.</summary>
    public int Release(IReadOnlyCollection<SeqRange> ranges)
    {
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            using var cmd = _db.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM outbox WHERE boot_id = $boot AND seq BETWEEN $from AND $to RETURNING LENGTH(payload)";
            var boot = cmd.Parameters.Add("$boot", SqliteType.Text);
            var from = cmd.Parameters.Add("$from", SqliteType.Integer);
            var to = cmd.Parameters.Add("$to", SqliteType.Integer);
            var count = 0;
            long bytes = 0;
            foreach (var range in ranges)
            {
                boot.Value = range.BootId;
                from.Value = range.From;
                to.Value = range.To;
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    count++;
                    bytes += reader.GetInt64(0);
                }
            }

            tx.Commit();
            _depth -= count;
            _bytes -= bytes;
            return count;
        }
    }

    public OutboxStats Stats()
    {
        lock (_gate)
        {
            var oldestMs = Query("SELECT MIN(created_ms) FROM outbox");
            DateTimeOffset? oldest = oldestMs is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            return new OutboxStats(_depth, _bytes, oldest, _capacityEvents, _capacityBytes, _droppedTotal);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _db.Dispose();
        }
    }

    private (long Count, long From, long To) DropOldest(SqliteTransaction tx, long neededEvents, long neededBytes)
    {
        // Make room for a slice (1 % of capacity) at once, so a full outbox does not drop on every single append.
        var targetEvents = Math.Min(_capacityEvents - neededEvents, _capacityEvents - Math.Max(1, _capacityEvents / 100));
        var targetBytes = Math.Min(_capacityBytes - neededBytes, _capacityBytes - Math.Max(1, _capacityBytes / 100));
        long count = 0, bytes = 0, from = long.MaxValue, to = 0;
        using var select = _db.CreateCommand();
        select.Transaction = tx;
        select.CommandText = "SELECT seq, LENGTH(payload) FROM outbox ORDER BY seq";
        using (var reader = select.ExecuteReader())
        {
            while ((_depth - count > targetEvents || _bytes - bytes > targetBytes) && reader.Read())
            {
                count++;
                bytes += reader.GetInt64(1);
                from = Math.Min(from, reader.GetInt64(0));
                to = reader.GetInt64(0);
            }
        }

        if (count > 0)
        {
            using var delete = _db.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM outbox WHERE seq BETWEEN $from AND $to";
            delete.Parameters.AddWithValue("$from", from);
            delete.Parameters.AddWithValue("$to", to);
            delete.ExecuteNonQuery();
        }

        _depth -= count;
        _bytes -= bytes;
        return (count, from, to);
    }

    private void SetMeta(SqliteTransaction tx, string key, long value)
    {
        using var cmd = _db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$value", value);
        cmd.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private object? Query(string sql)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = sql;
            var value = cmd.ExecuteScalar();
            return value is DBNull ? null : value;
        }
    }

    private long Scalar(string sql) => Convert.ToInt64(Query(sql) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    private static void CreatePrivateFile(string path)
    {
        if (File.Exists(path) || OperatingSystem.IsWindows())
        {
            return;
        }

        // SQLite gives the -wal and -shm files the mode of the database file, so 0600 here covers all three.
        using var _ = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }
}
