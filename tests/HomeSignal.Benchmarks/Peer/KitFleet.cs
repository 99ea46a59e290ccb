using System.Buffers;
using System.Diagnostics;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Registry;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Benchmarks.Peer;

/// <summary>
/// Simulated kits for the load: each publishes contract-v1 events at QoS 1 and counts an event as done only when the
/// hub's <see cref="HubAck"/> names it, with at most <c>window</c> events per kit waiting for that ack (an outbox).
/// Kits share MQTT connections; every kit listens on its own acks topic. Two successive events of a kit carry the
/// same millisecond (door open and closed, motion on and off), so the count check also proves both survive.
/// </summary>
public sealed class KitFleet : IAsyncDisposable
{
    private static readonly (string Sensor, SensorKind Kind, string On, string Off)[] Sensors =
    [
        ("door-front", SensorKind.Door, SensorStates.Open, SensorStates.Closed),
        ("motion-living", SensorKind.Motion, SensorStates.Active, SensorStates.Inactive),
        ("mailbox-flap", SensorKind.MailboxFlap, SensorStates.Open, SensorStates.Closed),
        ("mailbox-door", SensorKind.MailboxDoor, SensorStates.Open, SensorStates.Closed),
    ];

    private readonly List<IMqttClient> _connections;
    private readonly Kit[] _kits;
    private readonly Dictionary<string, Kit> _byId;
    private long _acked;
    private long _duplicateAcks;
    private TaskCompletionSource _allAcked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _target;

    private KitFleet(List<IMqttClient> connections, Kit[] kits)
    {
        _connections = connections;
        _kits = kits;
        _byId = kits.ToDictionary(k => k.Id, StringComparer.Ordinal);
    }

    public long DuplicateAcks => Interlocked.Read(ref _duplicateAcks);

    /// <summary>The sensors every simulated kit has, as the hub's registry records them.</summary>
    public static IReadOnlyList<SensorRecord> SensorRecords { get; } =
        [.. Sensors.Select(s => new SensorRecord(s.Sensor, s.Kind, s.Kind == SensorKind.Motion ? "woonkamer" : "gang", s.Sensor))];

    public static string KitId(int index) => $"kit-{index:D4}";

    public static async Task<KitFleet> StartAsync(string host, int port, int kitCount, int connectionCount, int window, CancellationToken cancellationToken)
    {
        var kits = Enumerable.Range(0, kitCount)
            .Select(i => new Kit(KitId(i), Guid.NewGuid().ToString("N"), i % connectionCount, window))
            .ToArray();
        var fleet = new KitFleet([], kits);
        for (var c = 0; c < connectionCount; c++)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += fleet.OnAckAsync;
            await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId($"bench-kits-{c}")
                .WithTimeout(TimeSpan.FromSeconds(10))
                .WithoutPacketFragmentation()
                .Build(), cancellationToken);
            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (var kit in kits.Where(k => k.Connection == c))
            {
                subscribe.WithTopicFilter(f => f.WithTopic(KitTopics.For(kit.Id, KitChannel.Acks)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
            }

            await client.SubscribeAsync(subscribe.Build(), cancellationToken);
            fleet._connections.Add(client);
        }

        return fleet;
    }

    /// <summary>
    /// Publishes <paramref name="eventsPerKit"/> events from every kit and waits until the hub acked all of them.
    /// Returns the time from the first publish to the last ack.
    /// </summary>
    public async Task<TimeSpan> RunAsync(int eventsPerKit, DateTimeOffset baseTime, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _acked, 0);
        Interlocked.Exchange(ref _target, (long)eventsPerKit * _kits.Length);
        _allAcked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(_kits.Select(k => PublishAsync(k, eventsPerKit, baseTime, releaseOnPuback: false, cancellationToken)));
        await WaitAsync(_allAcked.Task, () => $"Only {Interlocked.Read(ref _acked):N0} of {_target:N0} events were acknowledged by the hub within 5 minutes.", cancellationToken);
        return watch.Elapsed;
    }

    /// <summary>
    /// The broker-only baseline: publishes as <see cref="RunAsync"/> does (same kits, payloads and QoS), but a kit's
    /// window opens on the broker's PUBACK, and the round ends when <paramref name="delivered"/> completes (a plain
    /// subscriber counted every event). Returns the time from the first publish to the last delivery.
    /// </summary>
    public async Task<TimeSpan> RunBrokerOnlyAsync(int eventsPerKit, DateTimeOffset baseTime, Func<Task> delivered, Func<string> describe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(_kits.Select(k => PublishAsync(k, eventsPerKit, baseTime, releaseOnPuback: true, cancellationToken)));
        await WaitAsync(delivered(), describe, cancellationToken);
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _connections)
        {
            await client.TryDisconnectAsync();
            client.Dispose();
        }

        foreach (var kit in _kits)
        {
            kit.Window.Dispose();
        }
    }

    private static async Task WaitAsync(Task done, Func<string> describe, CancellationToken cancellationToken)
    {
        try
        {
            await done.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(describe());
        }
    }

    private async Task PublishAsync(Kit kit, int count, DateTimeOffset baseTime, bool releaseOnPuback, CancellationToken cancellationToken)
    {
        var client = _connections[kit.Connection];
        var index = Array.IndexOf(_kits, kit);
        for (var j = 0; j < count; j++)
        {
            await kit.Window.WaitAsync(cancellationToken);
            var seq = Interlocked.Increment(ref kit.NextSeq);
            var pair = (seq - 1) / 2;
            var sensor = Sensors[pair % Sensors.Length];
            var e = new SensorEvent
            {
                KitId = kit.Id,
                BootId = kit.BootId,
                Seq = seq,
                SensorId = sensor.Sensor,
                Kind = sensor.Kind,
                State = seq % 2 == 1 ? sensor.On : sensor.Off,
                // Both events of a pair share one millisecond; kits are spread over the milliseconds between pairs.
                Ts = baseTime.AddMilliseconds((pair * _kits.Length) + index),
                ClockSynced = true,
            };
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(KitTopics.For(kit.Id, KitChannel.Events))
                .WithPayload(ContractReader.Write(e))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var result = await client.PublishAsync(message, cancellationToken);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"The broker refused event {kit.Id}/{seq}: {result.ReasonCode} {result.ReasonString}");
            }

            if (releaseOnPuback)
            {
                kit.Window.Release();
            }
        }
    }

    private Task OnAckAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (!KitTopics.TryParse(e.ApplicationMessage.Topic, out var kitId, out var channel) || channel != KitChannel.Acks || !_byId.TryGetValue(kitId, out var kit))
        {
            return Task.CompletedTask;
        }

        var payload = e.ApplicationMessage.Payload;
        var ack = ContractReader.ReadAck(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray(), kitId).Value;
        if (ack is null)
        {
            return Task.CompletedTask;
        }

        var released = 0;
        lock (kit.Acked)
        {
            foreach (var range in ack.Stored.Where(r => r.BootId == kit.BootId))
            {
                for (var seq = range.From; seq <= range.To; seq++)
                {
                    if (kit.Acked.Add(seq))
                    {
                        released++;
                    }
                    else
                    {
                        Interlocked.Increment(ref _duplicateAcks);
                    }
                }
            }
        }

        if (released > 0)
        {
            kit.Window.Release(released);
            if (Interlocked.Add(ref _acked, released) >= Interlocked.Read(ref _target))
            {
                _allAcked.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Kit(string id, string bootId, int connection, int window)
    {
        public long NextSeq;

        public string Id { get; } = id;

        public string BootId { get; } = bootId;

        public int Connection { get; } = connection;

        public SemaphoreSlim Window { get; } = new(window, window);

        public HashSet<long> Acked { get; } = [];
    }
}
