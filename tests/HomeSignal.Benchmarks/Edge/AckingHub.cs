using System.Buffers;
using System.Threading.Channels;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Benchmarks.Edge;

/// <summary>One event as the stand-in hub stored it, with the order of first arrival.</summary>
public sealed record StoredEvent(long Order, string KitId, string BootId, long Seq, string SensorId, string State, DateTimeOffset Ts, DateTimeOffset StoredAt);

/// <summary>
/// A small stand-in for the hub (the real one lives in hub/): an MQTT 5 client that takes every kit's events, stores them in
/// SQLite (WAL, synchronous=FULL) in one transaction per batch, de-duplicating on (kit, boot, seq), and only after the
/// commit publishes a <see cref="HubAck"/> per kit. It can be told to stop acking. Shared by the edge tests and the edge
/// benchmark, so both measure the same contract.
/// </summary>
public sealed class AckingHub : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly SqliteConnection _db;
    private readonly Channel<MqttApplicationMessage> _inbox = Channel.CreateUnbounded<MqttApplicationMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _worker = Task.CompletedTask;
    private Task _keeper = Task.CompletedTask;
    private MqttClientOptions _options = null!;
    private long _duplicates;
    private long _rejected;

    private AckingHub(IMqttClient client, SqliteConnection db)
    {
        _client = client;
        _db = db;
    }

    /// <summary>When false, events are still stored but no ack is sent (a hub that never confirms).</summary>
    public bool Acking { get; set; } = true;

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Raised after each committed batch with the newly stored events (not the duplicates).</summary>
    public event Action<IReadOnlyList<StoredEvent>>? Stored;

    public static async Task<AckingHub> StartAsync(string host, int port, string databasePath, CancellationToken cancellationToken = default)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        db.Open();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                CREATE TABLE IF NOT EXISTS events (
                    ord INTEGER PRIMARY KEY AUTOINCREMENT,
                    kit_id TEXT NOT NULL, boot_id TEXT NOT NULL, seq INTEGER NOT NULL,
                    sensor_id TEXT NOT NULL, state TEXT NOT NULL, ts TEXT NOT NULL, stored_at TEXT NOT NULL,
                    UNIQUE (kit_id, boot_id, seq));
                """;
            cmd.ExecuteNonQuery();
        }

        var client = new MqttClientFactory().CreateMqttClient();
        var hub = new AckingHub(client, db);
        client.ApplicationMessageReceivedAsync += e =>
        {
            hub._inbox.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        hub._options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("acking-hub-" + Guid.NewGuid().ToString("N")[..8])
            .WithCredentials("hub", "hub-secret")
            .Build();
        await hub.ConnectAsync(cancellationToken);
        hub._worker = hub.RunAsync(hub._stop.Token);
        hub._keeper = hub.KeepConnectedAsync(hub._stop.Token);
        return hub;
    }

    public IReadOnlyList<StoredEvent> Events(string kitId)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT ord, kit_id, boot_id, seq, sensor_id, state, ts, stored_at FROM events WHERE kit_id = $kit ORDER BY ord";
            cmd.Parameters.AddWithValue("$kit", kitId);
            using var reader = cmd.ExecuteReader();
            var list = new List<StoredEvent>();
            while (reader.Read())
            {
                list.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                    DateTimeOffset.Parse(reader.GetString(6), System.Globalization.CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(reader.GetString(7), System.Globalization.CultureInfo.InvariantCulture)));
            }

            return list;
        }
    }

    public long Count(string kitId)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM events WHERE kit_id = $kit";
            cmd.Parameters.AddWithValue("$kit", kitId);
            return (long)cmd.ExecuteScalar()!;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _worker, _keeper })
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        await _client.TryDisconnectAsync();
        _client.Dispose();
        lock (_gate)
        {
            _db.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(_options, cancellationToken);
        await _client.SubscribeAsync(KitTopics.AllKits(KitChannel.Events), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
    }

    /// <summary>Reconnects after a broker restart (timer + ping, as MQTTnet 5 recommends).</summary>
    private async Task KeepConnectedAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(200, cancellationToken);
            if (!await _client.TryPingAsync(cancellationToken))
            {
                try
                {
                    await ConnectAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
                {
                    // The broker is still away; try again on the next tick.
                }
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<MqttApplicationMessage>();
        while (await _inbox.Reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < 500 && _inbox.Reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            var acks = StoreBatch(batch);
            if (!Acking)
            {
                continue;
            }

            foreach (var ack in acks.Where(_ => _client.IsConnected))
            {
                // An ack lost to a broker restart is harmless: the kit sends again and the duplicate is acked then.
                await _client.PublishAsync(
                    new MqttApplicationMessageBuilder()
                        .WithTopic(KitTopics.For(ack.KitId, KitChannel.Acks))
                        .WithPayload(ContractReader.Write(ack))
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build(),
                    cancellationToken);
            }
        }
    }

    private List<HubAck> StoreBatch(List<MqttApplicationMessage> batch)
    {
        var stored = new Dictionary<string, List<(string BootId, long Seq)>>(StringComparer.Ordinal);
        var fresh = new List<StoredEvent>();
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            using var tx = _db.BeginTransaction();
            using var insert = _db.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT OR IGNORE INTO events (kit_id, boot_id, seq, sensor_id, state, ts, stored_at)
                VALUES ($kit, $boot, $seq, $sensor, $state, $ts, $stored) RETURNING ord
                """;
            foreach (var message in batch)
            {
                if (!KitTopics.TryParse(message.Topic, out var kitId, out _))
                {
                    continue;
                }

                var result = ContractReader.ReadEvent(message.Payload.ToArray(), kitId);
                if (!result.IsValid)
                {
                    Interlocked.Increment(ref _rejected);
                    continue;
                }

                var e = result.Value!;
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$kit", e.KitId);
                insert.Parameters.AddWithValue("$boot", e.BootId);
                insert.Parameters.AddWithValue("$seq", e.Seq);
                insert.Parameters.AddWithValue("$sensor", e.SensorId);
                insert.Parameters.AddWithValue("$state", e.State);
                insert.Parameters.AddWithValue("$ts", e.Ts.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                insert.Parameters.AddWithValue("$stored", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                var ord = insert.ExecuteScalar();
                if (ord is long order)
                {
                    fresh.Add(new StoredEvent(order, e.KitId, e.BootId, e.Seq, e.SensorId, e.State, e.Ts, now));
                }
                else
                {
                    Interlocked.Increment(ref _duplicates);
                }

                if (!stored.TryGetValue(e.KitId, out var list))
                {
                    stored[e.KitId] = list = [];
                }

                list.Add((e.BootId, e.Seq));
            }

            tx.Commit();
        }

        Stored?.Invoke(fresh);
        return [.. stored.Select(kv => new HubAck { KitId = kv.Key, Ts = now, Stored = Ranges(kv.Value) })];
    }

    private static List<SeqRange> Ranges(List<(string BootId, long Seq)> items)
    {
        var ranges = new List<SeqRange>();
        foreach (var group in items.GroupBy(i => i.BootId))
        {
            var seqs = group.Select(g => g.Seq).Distinct().Order().ToList();
            var from = seqs[0];
            var to = seqs[0];
            foreach (var seq in seqs.Skip(1))
            {
                if (seq == to + 1)
                {
                    to = seq;
                    continue;
                }

                ranges.Add(new SeqRange(group.Key, from, to));
                from = to = seq;
            }

            ranges.Add(new SeqRange(group.Key, from, to));
        }

        return ranges;
    }
}
