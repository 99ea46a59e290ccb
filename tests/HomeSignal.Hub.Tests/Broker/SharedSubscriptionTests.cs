using System.Globalization;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Tests.Support;
using HomeSignal.Testing.Servers;

namespace HomeSignal.Hub.Tests.Broker;

public sealed class SharedSubscriptionTests
{
    [Fact]
    public async Task Two_hubs_on_one_mosquitto_share_the_events_without_losing_or_storing_any_twice()
    {
        await using var mosquitto = await MosquittoServer.StartAsync();
        await using var first = await StartHubAsync(mosquitto, "hub-one");
        await using var second = await StartHubAsync(mosquitto, "hub-two");

        var kits = new List<SimulatedKit>();
        for (var i = 0; i < 4; i++)
        {
            var kitId = $"kit-share-{i}";
            await first.CreateKitAsync(kitId);
            await second.CreateKitAsync(kitId);
            var kit = new SimulatedKit(kitId);
            Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, await kit.ConnectAsync(mosquitto.Port, null, null));
            kits.Add(kit);
        }

        try
        {
            const int perKit = 100;
            await Task.WhenAll(kits.Select(async kit =>
            {
                for (var seq = 1; seq <= perKit; seq++)
                {
                    var result = await kit.PublishAsync(kit.Event(seq));
                    Assert.True(result.IsSuccess, result.ReasonCode.ToString());
                }
            }));
            var all = Enumerable.Range(1, perKit).Select(i => (long)i).ToList();
            await Eventually.TrueAsync(() => kits.All(k => k.HasStoredAck(all)), "every event is acknowledged by one of the hubs");

            var one = await first.Store.QueryEventsAsync(new EventQuery { Limit = 10_000 }, CancellationToken.None);
            var two = await second.Store.QueryEventsAsync(new EventQuery { Limit = 10_000 }, CancellationToken.None);
            var keys = one.Concat(two).Select(e => (e.KitId, e.BootId, e.Seq)).ToList();
            Assert.Equal(kits.Count * perKit, keys.Count);
            Assert.Equal(keys.Count, keys.Distinct().Count());
            Assert.NotEmpty(one);
            Assert.NotEmpty(two);
        }
        finally
        {
            foreach (var kit in kits)
            {
                await kit.DisposeAsync();
            }
        }
    }

    private static async Task<TestHub> StartHubAsync(MosquittoServer mosquitto, string clientId)
    {
        var hub = await TestHub.StartAsync(new Dictionary<string, string?>
        {
            ["Broker:Mode"] = "External",
            ["Broker:Host"] = mosquitto.Host,
            ["Broker:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture),
            ["Broker:Username"] = clientId,
            ["Broker:Password"] = "unused-on-an-open-test-broker",
            ["Broker:ClientId"] = clientId,
            ["Broker:SharedSubscription"] = "true",
            ["Broker:ReconnectInterval"] = "00:00:00.200",
        });
        var connection = hub.Get<HubMqttConnection>();
        await Eventually.TrueAsync(() => connection.IsConnected, $"{clientId} connects");
        Assert.All(connection.TopicFilters, f => Assert.StartsWith("$share/hubs/", f, StringComparison.Ordinal));
        return hub;
    }
}
