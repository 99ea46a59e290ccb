using HomeSignal.Benchmarks.Edge;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Edge.Tests.Support;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.Hosting;

namespace HomeSignal.Edge.Tests.Hub;

/// <summary>Simulated kits in-process, a real mosquitto, and the acking stand-in hub.</summary>
public sealed class DeliveryTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MosquittoServer _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Door_event_reaches_the_hub_store_through_mosquitto_and_leaves_the_outbox_after_the_hub_ack()
    {
        await using var hub = await StartHubAsync();
        using var kit = await TestKits.StartAsync(TestKits.Settings("kit-door", _dir.File("kit"), _broker));

        kit.Injector().Open("door-front");
        await Eventually.TrueAsync(() => hub.Events("kit-door").Any(e => e.SensorId == "door-front"), "the door event at the hub");
        await Eventually.TrueAsync(() => kit.Outbox().Stats().Depth == 0, "the outbox to be empty after the ack");

        var stored = hub.Events("kit-door");
        Assert.Contains(stored, e => e.SensorId == "kit" && e.State == SensorStates.Boot);
        var door = Assert.Single(stored, e => e.SensorId == "door-front");
        Assert.Equal(SensorStates.Open, door.State);
        Assert.Equal(kit.Identity().BootId, door.BootId);
        await kit.StopAsync();
    }

    [Fact]
    public async Task A_hub_that_stores_but_never_acks_releases_nothing()
    {
        await using var hub = await StartHubAsync();
        hub.Acking = false;
        using var kit = await TestKits.StartAsync(TestKits.Settings("kit-noack", _dir.File("kit"), _broker));

        for (var i = 0; i < 5; i++)
        {
            kit.Injector().Motion("motion-living");
            kit.Injector().Open("door-front");
            kit.Injector().Close("door-front");
            // Past the 30 ms debounce window that follows the close.
            await Task.Delay(150);
        }

        await Eventually.TrueAsync(() => hub.Count("kit-noack") >= 10, "the events to reach the hub", state: () => $"hub has {hub.Count("kit-noack")}, outbox {kit.Outbox().Stats()}, connected {kit.Link().IsConnected}, flags {string.Join(',', kit.Health().Snapshot())}");
        // The broker took every event (PUBACK) and the hub stored them, yet without a hub ack none may leave.
        var depth = kit.Outbox().Stats().Depth;
        Assert.True(depth >= 10, $"outbox depth {depth}");
        Assert.Equal(kit.Outbox().LastSeq, depth);

        hub.Acking = true;
        kit.Injector().Open("door-front");
        await Eventually.TrueAsync(() => kit.Outbox().Stats().Depth <= depth, "later acks to release events");
        await kit.StopAsync();
    }

    [Fact]
    public async Task Without_a_listening_hub_events_stay_in_the_outbox_with_the_no_subscribers_flag_until_the_hub_arrives()
    {
        using var kit = await TestKits.StartAsync(TestKits.Settings("kit-alone", _dir.File("kit"), _broker));
        kit.Injector().Open("door-front");

        await Eventually.TrueAsync(() => kit.Health().Has(HealthFlags.NoSubscribers), "the no-subscribers flag");
        Assert.True(kit.Outbox().Stats().Depth >= 2);

        await using var hub = await StartHubAsync();
        await Eventually.TrueAsync(() => kit.Outbox().Stats().Depth == 0, "the outbox to drain once the hub listens");
        // The hub's ack can overtake the PUBACKs of the batch whose success clears the flag: wait for it, bounded.
        await Eventually.TrueAsync(() => !kit.Health().Has(HealthFlags.NoSubscribers), "the no-subscribers flag to clear");
        Assert.Contains(hub.Events("kit-alone"), e => e.SensorId == "door-front");
        await kit.StopAsync();
    }

    [Fact]
    public async Task Broker_down_for_a_while_then_every_event_is_delivered_exactly_once_in_order()
    {
        await using var hub = await StartHubAsync();
        using var kit = await TestKits.StartAsync(TestKits.Settings("kit-outage", _dir.File("kit"), _broker));
        await Eventually.TrueAsync(() => hub.Count("kit-outage") >= 1, "the boot event");

        await _broker.StopAsync();
        await Eventually.TrueAsync(() => !kit.Link().IsConnected, "the kit to notice the broker is gone");
        for (var i = 0; i < 40; i++)
        {
            if (i % 2 == 0)
            {
                kit.Injector().Open("door-front");
            }
            else
            {
                kit.Injector().Close("door-front");
            }

            await Task.Delay(80);
        }

        Assert.True(kit.Outbox().Stats().Depth >= 40);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _broker.RestartAsync();

        await Eventually.TrueAsync(() => kit.Outbox().Stats().Depth == 0, "the backlog to drain after the broker returns", state: () => $"hub has {hub.Count("kit-outage")}, outbox {kit.Outbox().Stats()}, connected {kit.Link().IsConnected}");
        var stored = hub.Events("kit-outage");
        Assert.Equal(Enumerable.Range(1, (int)kit.Outbox().LastSeq).Select(i => (long)i), stored.Select(e => e.Seq));
        var doors = stored.Where(e => e.SensorId == "door-front").Select(e => e.State).ToList();
        Assert.Equal(40, doors.Count);
        Assert.All(doors.Where((_, i) => i % 2 == 0), s => Assert.Equal(SensorStates.Open, s));
        await kit.StopAsync();
    }

    [Fact]
    public async Task Two_simulated_kits_run_side_by_side_in_one_process()
    {
        await using var hub = await StartHubAsync();
        using var a = await TestKits.StartAsync(TestKits.Settings("kit-a", _dir.File("a"), _broker));
        using var b = await TestKits.StartAsync(TestKits.Settings("kit-b", _dir.File("b"), _broker));

        a.Injector().Open("mailbox-flap");
        b.Injector().Press("button-ok");

        await Eventually.TrueAsync(() => hub.Events("kit-a").Any(e => e.SensorId == "mailbox-flap") && hub.Events("kit-b").Any(e => e.SensorId == "button-ok"), "both kits' events");
        Assert.DoesNotContain(hub.Events("kit-a"), e => e.SensorId == "button-ok");
        Assert.DoesNotContain(hub.Events("kit-b"), e => e.SensorId == "mailbox-flap");
        Assert.NotEqual(a.Identity().BootId, b.Identity().BootId);
        await a.StopAsync();
        await b.StopAsync();
    }

    [Fact]
    public async Task Sequence_numbers_continue_across_restarts_with_a_new_boot_id_and_power_restored_after_an_unclean_end()
    {
        await using var hub = await StartHubAsync();
        var settings = TestKits.Settings("kit-restart", _dir.File("kit"), _broker);

        string firstBoot;
        using (var first = await TestKits.StartAsync(settings))
        {
            first.Injector().Open("door-front");
            await Eventually.TrueAsync(() => first.Outbox().Stats().Depth == 0 && hub.Count("kit-restart") >= 2, "the first run's events");
            firstBoot = first.Identity().BootId;
            await first.StopAsync();
        }

        string secondBoot;
        using (var second = await TestKits.StartAsync(settings))
        {
            secondBoot = second.Identity().BootId;
            await Eventually.TrueAsync(() => second.Outbox().Stats().Depth == 0 && hub.Count("kit-restart") >= 3, "the second run's boot event");
            // Not stopped: as if the power went.
        }

        using (var third = await TestKits.StartAsync(settings))
        {
            await Eventually.TrueAsync(() => hub.Events("kit-restart").Any(e => e.State == SensorStates.PowerRestored), "the power-restored event");
            await third.StopAsync();
        }

        var stored = hub.Events("kit-restart");
        Assert.Equal(stored.Select(e => e.Seq).Order(), stored.Select(e => e.Seq));
        Assert.Equal(stored.Count, stored.Select(e => e.Seq).Distinct().Count());
        Assert.NotEqual(firstBoot, secondBoot);
        Assert.DoesNotContain(stored, e => e.BootId == secondBoot && e.State == SensorStates.PowerRestored);
        Assert.Single(stored, e => e.State == SensorStates.PowerRestored);
    }

    private Task<AckingHub> StartHubAsync() => AckingHub.StartAsync(_broker.Host, _broker.Port, _dir.File($"hub-{Guid.NewGuid():N}.db"));
}
