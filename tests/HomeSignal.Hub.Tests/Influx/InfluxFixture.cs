using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Storage.Influx;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeSignal.Hub.Tests.Influx;

/// <summary>One real influxd per test class; each test works in its own database.</summary>
public sealed class InfluxFixture : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public InfluxServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await InfluxServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public static string NewDatabase() => "t" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A started store on a fresh database (or on <paramref name="database"/>).</summary>
    public async Task<InfluxEventStore> StartStoreAsync(Action<InfluxOptions>? configure = null, TimeProvider? time = null, string? database = null)
    {
        var options = new InfluxOptions { Url = Server.Url, Database = database ?? NewDatabase(), RetryMaxDelay = TimeSpan.FromMilliseconds(500) };
        configure?.Invoke(options);
        var store = new InfluxEventStore(Http, Microsoft.Extensions.Options.Options.Create(options), time ?? TimeProvider.System, NullLogger<InfluxEventStore>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await store.StartAsync(cts.Token);
        return store;
    }

    public static SensorEvent Event(string kit, long seq, DateTimeOffset ts, SensorKind kind = SensorKind.Door, string? state = null, string? sensor = null, string boot = "0123456789abcdef0123456789abcdef") => new()
    {
        KitId = kit,
        BootId = boot,
        Seq = seq,
        SensorId = sensor ?? kind switch
        {
            SensorKind.Door => "door-front",
            SensorKind.Motion => "motion-living",
            SensorKind.MailboxFlap => "mailbox-flap",
            SensorKind.MailboxDoor => "mailbox-door",
            _ => "button",
        },
        Kind = kind,
        State = state ?? kind switch
        {
            SensorKind.Motion => SensorStates.Active,
            SensorKind.Button => SensorStates.Pressed,
            _ => SensorStates.Open,
        },
        Ts = ts,
        ClockSynced = true,
    };

    /// <summary>An event as the hub hands it to the store (received now unless said otherwise).</summary>
    public static EventToStore Item(SensorEvent e, DateTimeOffset? receivedAt = null, string? quarantineReason = null) =>
        new(e, receivedAt ?? NowMs(), quarantineReason);

    public static IReadOnlyList<EventToStore> Items(params SensorEvent[] events) => events.Select(e => Item(e)).ToList();

    /// <summary>Now, truncated to whole milliseconds (what the store keeps).</summary>
    public static DateTimeOffset NowMs() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public static CancellationToken Bounded(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
