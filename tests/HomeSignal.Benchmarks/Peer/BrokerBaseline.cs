using HomeSignal.Benchmarks.Ingest;
using HomeSignal.Testing.Servers;

namespace HomeSignal.Benchmarks.Peer;

/// <summary>
/// The broker's own one-subscriber throughput under the hub's load: kits like the hub's (same count, connections,
/// payloads and QoS) publish to a mosquitto of their own, configured like the hub's, delivering to one plain MQTTnet
/// subscriber that only counts. Its own broker lets its rounds alternate with the hub's without either seeing the
/// other's messages, so both sides meet the same machine.
/// </summary>
internal sealed class BrokerBaseline : IAsyncDisposable
{
    private readonly MosquittoServer _mosquitto;
    private readonly KitFleet _fleet;
    private readonly CountingSubscriber _subscriber;
    private readonly CpuMeter _cpu;
    private readonly int _events;
    private readonly int _kits;

    private BrokerBaseline(MosquittoServer mosquitto, KitFleet fleet, CountingSubscriber subscriber, int kits, int events, int? influxdId)
    {
        _mosquitto = mosquitto;
        _fleet = fleet;
        _subscriber = subscriber;
        _kits = kits;
        _events = events;
        _cpu = new CpuMeter(influxdId, mosquitto.ConfigPath);
    }

    /// <param name="influxdId">The hub's influxd: each round waits for it to go quiet first (work it carries over from a hub round would slow the broker), and reports its CPU.</param>
    public static async Task<BrokerBaseline> StartAsync(int kits, int events, int? influxdId, CancellationToken cancellationToken)
    {
        var mosquitto = await MosquittoServer.StartAsync();
        try
        {
            var fleet = await KitFleet.StartAsync(mosquitto.Host, mosquitto.Port, kits, connectionCount: 10, window: 200, cancellationToken);
            // The widest receive window MQTT allows: with the hub's 2,000, mosquitto 2.0.11 queues the rest of a
            // 45k/s burst and now and then delivers that queue only after seconds of idling, which would understate
            // the broker.
            var subscriber = await CountingSubscriber.ConnectAsync(mosquitto, "bench-baseline-influx", receiveMaximum: ushort.MaxValue, cancellationToken);
            return new BrokerBaseline(mosquitto, fleet, subscriber, kits, events, influxdId);
        }
        catch
        {
            await mosquitto.DisposeAsync();
            throw;
        }
    }

    /// <summary>One round of the configured number of events; each round needs its own <paramref name="baseTime"/>.</summary>
    public async Task<Round> RunRoundAsync(DateTimeOffset baseTime, CancellationToken cancellationToken)
    {
        var settled = await _cpu.WaitForQuietInfluxdAsync(TimeSpan.FromSeconds(15), cancellationToken);
        var delivered = _subscriber.Expect(_events);
        _cpu.Start();
        var elapsed = await _fleet.RunBrokerOnlyAsync(_events / _kits, baseTime, () => delivered,
            () => $"The baseline subscriber received {_subscriber.Received:N0} of {_events:N0} events within 5 minutes.", cancellationToken);
        var (self, influxd, broker) = _cpu.Stop();
        return new Round(elapsed, _events / elapsed.TotalSeconds, self, broker, influxd, settled);
    }

    public async ValueTask DisposeAsync()
    {
        _cpu.Dispose();
        await _subscriber.DisposeAsync();
        await _fleet.DisposeAsync();
        await _mosquitto.DisposeAsync();
    }

    /// <summary>
    /// A round's duration and rate, the CPU seconds of this process, the baseline's mosquitto and the hub's influxd,
    /// and how long the round waited beforehand for that influxd to go quiet.
    /// </summary>
    internal sealed record Round(TimeSpan Elapsed, double PerSecond, double SelfCpuSeconds, double BrokerCpuSeconds, double InfluxdCpuSeconds, TimeSpan Settled);
}
