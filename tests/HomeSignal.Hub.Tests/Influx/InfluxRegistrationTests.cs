using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Storage.Influx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static HomeSignal.Hub.Tests.Influx.InfluxFixture;

namespace HomeSignal.Hub.Tests.Influx;

public sealed class InfluxRegistrationTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task The_registered_store_starts_with_the_host_and_stores_events()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Storage:Influx:Url"] = influx.Server.Url.ToString();
        builder.Configuration["Storage:Influx:Database"] = NewDatabase();
        builder.AddInfluxEventStore();
        using var host = builder.Build();

        await host.StartAsync(Bounded());
        try
        {
            var store = host.Services.GetRequiredService<IEventStore>();
            var influxStore = Assert.IsType<InfluxEventStore>(store);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!influxStore.IsRunning)
            {
                Assert.True(DateTime.UtcNow < deadline, "The store did not start within 30 s.");
                await Task.Delay(50);
            }

            var outcomes = await store.StoreAsync(Items(Event("kit-hosted", 1, NowMs().AddSeconds(-1))), Bounded());
            Assert.Equal([StoreOutcome.Stored], outcomes);
        }
        finally
        {
            await host.StopAsync(Bounded());
        }
    }

    [Fact]
    public async Task A_bad_configuration_stops_the_host_from_starting_with_the_key_named()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Storage:Influx:Url"] = "http://influx.example.org:8086";
        builder.Configuration["Storage:Influx:BatchSize"] = "0";
        builder.AddInfluxEventStore();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Bounded()));

        Assert.Contains("Storage:Influx:Url host 'influx.example.org'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:Influx:BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task States_with_quotes_commas_spaces_and_backslashes_survive_line_protocol()
    {
        await using var store = await influx.StartStoreAsync();
        var odd = Event("kit-escape", 1, NowMs().AddSeconds(-1)) with { State = "a \"quoted\", spaced=state \\ end\\" };

        await store.StoreAsync(Items(odd), Bounded());

        var read = Assert.Single(await store.QueryEventsAsync(new EventQuery { KitIds = ["kit-escape"] }, Bounded()));
        Assert.Equal(odd.State, read.State);
    }
}
