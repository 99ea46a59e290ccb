using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Tests.Storage;

public sealed class RetentionTests : IDisposable
{
    private readonly HubParts _parts = new();

    [Fact]
    public async Task Raw_events_past_90_days_are_really_gone_while_aggregates_stay_longer()
    {
        var now = _parts.Time.GetUtcNow();
        var boot = Guid.NewGuid().ToString("N");
        SensorEvent At(long seq, DateTimeOffset ts) => new()
        {
            KitId = "kit-ret", BootId = boot, Seq = seq, SensorId = "door-front", Kind = SensorKind.Door, State = SensorStates.Open, Ts = ts, ClockSynced = true,
        };
        await _parts.Store.StoreAsync(
        [
            new EventToStore(At(1, now.AddDays(-120)), now.AddDays(-120)),
            new EventToStore(At(2, now.AddDays(-91)), now.AddDays(-91)),
            new EventToStore(At(3, now.AddDays(-89)), now.AddDays(-89)),
            // A kit clock at 1970, received recently: kept (judged by receive time), quarantined.
            new EventToStore(At(4, DateTimeOffset.UnixEpoch), now.AddDays(-1), "implausible-timestamp: test"),
        ], CancellationToken.None);
        await _parts.Store.SaveAggregatesAsync("r-1", AggregateGranularity.Day,
            [new ActivityAggregate { Start = now.AddDays(-800), Motion = 1 }, new ActivityAggregate { Start = now.AddDays(-120), Motion = 2 }], CancellationToken.None);

        var worker = new RetentionWorker(_parts.Store, Options.Create(new StorageOptions()), _parts.Time, NullLogger<RetentionWorker>.Instance);
        var result = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new RetentionResult(2, 1), result);
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={_parts.Store.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM events ORDER BY seq;";
        var left = new List<long>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                left.Add(reader.GetInt64(0));
            }
        }

        Assert.Equal([3L, 4L], left);
        var aggregates = await _parts.Store.QueryAggregatesAsync("r-1", AggregateGranularity.Day, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None);
        Assert.Equal([2], aggregates.Select(a => a.Motion));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_event_and_registry_files_are_private_to_the_hub_user()
    {
        var mode = File.GetUnixFileMode(_parts.Store.Path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_parts.Registry.Database.Path));
    }

    [Fact]
    public void Retention_settings_are_validated_with_the_key_named()
    {
        var errors = new StorageOptions { RawRetentionDays = 0, AggregateRetentionDays = -1 }.Validate().ToList();
        Assert.Contains(errors, e => e.Contains("Storage:RawRetentionDays", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Storage:AggregateRetentionDays", StringComparison.Ordinal));
    }

    public void Dispose() => _parts.Dispose();
}
