using HomeSignal.Hub.Storage;
using static HomeSignal.Hub.Tests.Influx.InfluxFixture;

namespace HomeSignal.Hub.Tests.Influx;

/// <summary>Takes its own influxd down and up again, so it has a fixture of its own.</summary>
public sealed class InfluxOutageTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task When_influxdb_is_down_writes_wait_with_a_bounded_queue_and_all_land_after_restart()
    {
        await using var store = await influx.StartStoreAsync(o =>
        {
            o.BatchSize = 10;
            o.QueueCapacity = 20;
            o.Writers = 1;
        });
        var now = NowMs();
        await store.StoreAsync(Items(Event("kit-outage", 0, now.AddSeconds(-60))), Bounded());

        await influx.Server.StopAsync();
        var events = Enumerable.Range(1, 100).Select(i => Event("kit-outage", i, now.AddMilliseconds(-i))).ToList();
        var writing = store.StoreAsync(Items([.. events]), Bounded(120));

        // The writer retries, the queue fills to its bound and the caller waits: nothing is reported durable.
        await WaitUntilAsync(() => store.Statistics.Retries >= 3 && store.Statistics.Queued == 20);
        Assert.False(writing.IsCompleted);
        Assert.Contains("attempt", store.Statistics.LastError, StringComparison.Ordinal);

        await influx.Server.StartAgainAsync();
        var outcomes = await writing.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(100, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(StoreOutcome.Stored, o));
        Assert.Equal(101, await store.CountEventsAsync("kit-outage", Bounded()));
        Assert.Equal(101, await store.CountDistinctEventsAsync(Bounded()));
    }

    [Fact]
    public async Task Stopping_the_store_while_influxdb_is_down_fails_the_waiting_callers_and_it_can_start_again()
    {
        await using var store = await influx.StartStoreAsync();
        await influx.Server.StopAsync();
        try
        {
            var writing = store.StoreAsync(Items(Event("kit-stop", 1, NowMs())), Bounded(60));
            await WaitUntilAsync(() => store.Statistics.Retries >= 1);

            await store.StopAsync(Bounded());

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing);
            await Assert.ThrowsAsync<InvalidOperationException>(() => store.StoreAsync(Items(Event("kit-stop", 2, NowMs())), Bounded()));
        }
        finally
        {
            await influx.Server.StartAgainAsync();
        }

        await store.StartAsync(Bounded());
        Assert.Equal([StoreOutcome.Stored], await store.StoreAsync(Items(Event("kit-stop", 3, NowMs())), Bounded()));
        Assert.Equal(1, await store.CountEventsAsync("kit-stop", Bounded()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met within 30 s.");
            await Task.Delay(50);
        }
    }
}
