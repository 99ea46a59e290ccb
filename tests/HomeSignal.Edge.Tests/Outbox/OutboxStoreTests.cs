using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Edge.Outbox;
using HomeSignal.Edge.Tests.Support;
using Microsoft.Data.Sqlite;

namespace HomeSignal.Edge.Tests.Outbox;

public sealed class OutboxStoreTests : IDisposable
{
    private const string BootA = "0123456789abcdef0123456789abcdef";
    private const string BootB = "fedcba9876543210fedcba9876543210";
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Sequence_numbers_continue_after_a_restart_even_when_everything_was_released()
    {
        var path = _dir.File("outbox.db");
        using (var store = Open(path))
        {
            Append(store, BootA, 3);
            Assert.Equal(3, store.Release(BootA, 1, 3));
        }

        using (var store = Open(path))
        {
            var next = Append(store, BootB, 1);
            Assert.Equal(4, next[0].Seq);
            Assert.Equal(4, store.LastSeq);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_outbox_uses_wal_with_full_sync_and_a_private_file()
    {
        var path = _dir.File("outbox.db");
        using var store = Open(path);
        Append(store, BootA, 1);

        Assert.Equal("wal", store.JournalMode);
        Assert.Equal(2, store.Synchronous);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_data_directory_is_created_private_and_an_existing_one_is_tightened()
    {
        var fresh = new Kit.DataDirectory(Microsoft.Extensions.Options.Options.Create(new Kit.KitOptions { DataDirectory = _dir.File("fresh") }));
        fresh.Ensure();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fresh.Path));

        var open = _dir.File("open");
        Directory.CreateDirectory(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        new Kit.DataDirectory(Microsoft.Extensions.Options.Options.Create(new Kit.KitOptions { DataDirectory = open })).Ensure();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(open));
    }

    [Fact]
    public void Release_removes_only_the_acknowledged_range_of_that_boot()
    {
        using var store = Open(_dir.File("outbox.db"));
        Append(store, BootA, 5);

        Assert.Equal(0, store.Release(BootB, 1, 5));
        Assert.Equal(2, store.Release(BootA, 2, 3));

        Assert.Equal([1L, 4L, 5L], store.ReadAfter(0, 100).Select(e => e.Seq));
        Assert.Equal(3, store.Stats().Depth);
    }

    [Fact]
    public void Pending_events_come_out_in_sequence_order_as_valid_contract_payloads()
    {
        using var store = Open(_dir.File("outbox.db"));
        Append(store, BootA, 10);

        var pending = store.ReadAfter(4, 3);

        Assert.Equal([5L, 6L, 7L], pending.Select(e => e.Seq));
        var parsed = ContractReader.ReadEvent(pending[0].Payload, "kit-test");
        Assert.True(parsed.IsValid, parsed.Error?.ToString());
        Assert.Equal(5, parsed.Value!.Seq);
    }

    [Fact]
    public void A_full_outbox_drops_the_oldest_events_and_says_so_with_an_outbox_full_event()
    {
        using var store = new OutboxStore(_dir.File("outbox.db"), capacityEvents: 100, capacityBytes: 1024 * 1024);
        var dropped = new List<(long Count, long From, long To)>();
        store.Dropped += (count, from, to) => dropped.Add((count, from, to));

        Append(store, BootA, 150);

        var stats = store.Stats();
        Assert.True(stats.Depth <= 100, $"depth {stats.Depth}");
        Assert.NotEmpty(dropped);
        var remaining = store.ReadAfter(0, 1000);
        var fullEvents = remaining.Select(e => ContractReader.ReadEvent(e.Payload, "kit-test").Value!).Where(e => e.State == SensorStates.OutboxFull).ToList();
        Assert.NotEmpty(fullEvents);
        Assert.All(fullEvents, e => Assert.Equal(SensorKind.Kit, e.Kind));

        // Nothing vanished silently: every sequence number is either still here or in a reported drop.
        var droppedSeqs = dropped.SelectMany(d => Enumerable.Range((int)d.From, (int)(d.To - d.From + 1)).Select(i => (long)i));
        Assert.Equal(Enumerable.Range(1, (int)store.LastSeq).Select(i => (long)i), droppedSeqs.Concat(remaining.Select(e => e.Seq)).Order());
        Assert.Equal(dropped.Sum(d => d.Count), stats.DroppedTotal);
    }

    [Fact]
    public void The_byte_bound_is_enforced_too()
    {
        using var store = new OutboxStore(_dir.File("outbox.db"), capacityEvents: 100_000, capacityBytes: 64 * 1024);
        Append(store, BootA, 1000);

        var stats = store.Stats();
        Assert.True(stats.Bytes <= 64 * 1024, $"bytes {stats.Bytes}");
        Assert.True(stats.DroppedTotal > 0);
    }

    [Fact]
    public void The_outbox_file_passes_an_integrity_check_after_use()
    {
        var path = _dir.File("outbox.db");
        using (var store = Open(path))
        {
            Append(store, BootA, 200);
            store.Release(BootA, 1, 150);
        }

        using var db = new SqliteConnection($"Data Source={path};Pooling=false");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", cmd.ExecuteScalar());
    }

    public void Dispose() => _dir.Dispose();

    private static OutboxStore Open(string path) => new(path, 250_000, 64L * 1024 * 1024);

    private static List<SensorEvent> Append(OutboxStore store, string bootId, int count)
    {
        var written = new List<SensorEvent>();
        var ts = new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var state = i % 2 == 0 ? SensorStates.Open : SensorStates.Closed;
            written.AddRange(store.Append(
                [seq => Event(bootId, seq, "door-front", SensorKind.Door, state, ts)],
                seq => Event(bootId, seq, SensorStates.KitSensorId, SensorKind.Kit, SensorStates.OutboxFull, ts)));
        }

        return written;
    }

    private static SensorEvent Event(string bootId, long seq, string sensorId, SensorKind kind, string state, DateTimeOffset ts) => new()
    {
        KitId = "kit-test",
        BootId = bootId,
        Seq = seq,
        SensorId = sensorId,
        Kind = kind,
        State = state,
        Ts = ts,
        ClockSynced = true,
    };
}
