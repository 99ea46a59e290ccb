using System.Globalization;
using HomeSignal.Benchmarks.Edge;
using HomeSignal.Edge.Tests.Support;
using HomeSignal.Testing.Servers;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace HomeSignal.Edge.Tests.Hub;

/// <summary>The edge as a real child process, killed with SIGKILL at random moments while a load generator produces events.</summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string KitId = "kit-crash";
    private const int Kills = 55;
    private readonly TempDirectory _dir = new();
    private MosquittoServer _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Killed_at_random_moments_the_outbox_stays_intact_and_every_committed_event_reaches_the_hub_exactly_once()
    {
        await using var hub = await AckingHub.StartAsync(_broker.Host, _broker.Port, _dir.File("hub.db"));
        var data = _dir.File("kit");
        var random = new Random(20261122);
        var killedWhileFlowing = 0;

        for (var run = 0; run < Kills; run++)
        {
            // This run is "flowing" once the hub has stored its boot event (a count of all events could be met by the
            // previous run's last messages still on their way).
            var bootsBefore = Boots(hub);
            await using var kit = StartKit(data, eventsPerSecond: 40);
            if (run % 5 == 4)
            {
                // Now and then during start-up: before or while the outbox opens and the boot event is written.
                await Task.Delay(random.Next(0, 400));
            }
            else
            {
                await Eventually.TrueAsync(() => Boots(hub) > bootsBefore || kit.HasExited, $"run {run}: events flowing to the hub", state: () => kit.Output);
                Assert.False(kit.HasExited, kit.Output);
                await Task.Delay(random.Next(0, 1500));
                killedWhileFlowing++;
            }

            await kit.KillAsync();
            Assert.Equal("ok", IntegrityCheck(Path.Combine(data, "outbox.db")));
        }

        // A last, clean run without load delivers whatever the kills left behind, then stops cleanly.
        await using (var last = StartKit(data, eventsPerSecond: 0))
        {
            await Eventually.TrueAsync(() => OutboxDepth(Path.Combine(data, "outbox.db")) == 0, "the outbox to drain", TimeSpan.FromSeconds(60), () => last.Output);
            await last.StopAsync(TimeSpan.FromSeconds(20));
        }

        var outbox = Path.Combine(data, "outbox.db");
        Assert.Equal("ok", IntegrityCheck(outbox));
        Assert.True(File.Exists(Path.Combine(data, "clean-shutdown")), "the clean stop leaves its marker");
        var lastSeq = LastSeq(outbox);
        var stored = hub.Events(KitId);

        // Committed sequence numbers run 1..last without gaps; each reached the hub store exactly once.
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), stored.Select(e => e.Seq).Order());
        // Runs killed during start-up may die before their boot event commits; every other run recorded one, and each
        // boot after a killed run says the power was restored.
        var boots = stored.Count(e => e.State == "boot");
        Assert.InRange(boots, killedWhileFlowing + 1, Kills + 1);
        Assert.InRange(stored.Count(e => e.State == "power-restored"), killedWhileFlowing - 1, boots - 1);
        output.WriteLine($"{Kills} kills ({killedWhileFlowing} while events flowed), {stored.Count} events stored once each, {hub.Duplicates} re-deliveries de-duplicated by the hub.");
    }

    [Fact]
    public async Task A_killed_kit_is_marked_offline_by_its_last_will()
    {
        var statuses = new List<string>();
        await using var hub = await AckingHub.StartAsync(_broker.Host, _broker.Port, _dir.File("hub.db"));
        await using var kit = StartKit(_dir.File("kit"), eventsPerSecond: 5);
        await Eventually.TrueAsync(() => hub.Count(KitId) > 0, "the kit to run");

        await kit.KillAsync();

        var sub = await MosquittoSub(_broker, $"homesignal/v1/kits/{KitId}/status");
        Assert.Contains("\"state\":\"offline\"", sub, StringComparison.Ordinal);
    }

    private static int Boots(AckingHub hub) => hub.Events(KitId).Count(e => e.State == "boot");

    private ServerProcess StartKit(string data, double eventsPerSecond)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "HomeSignal.Edge.dll");
        string[] args =
        [
            dll,
            $"--Kit:KitId={KitId}",
            $"--Kit:DataDirectory={data}",
            $"--Mqtt:Host={_broker.Host}",
            $"--Mqtt:Port={_broker.Port.ToString(CultureInfo.InvariantCulture)}",
            "--Mqtt:UseTls=false",
            $"--Mqtt:Username={KitId}",
            "--Gpio:Mode=Simulated",
            $"--Gpio:Simulate:LoadEventsPerSecond={eventsPerSecond.ToString(CultureInfo.InvariantCulture)}",
            "--Liveness:AssumeClockSynced=true",
            "--Mqtt:BackoffInitialSeconds=0.2",
            "--Mqtt:BackoffMaxSeconds=1",
            "--Mqtt:ConnectionCheckSeconds=1",
            "--Mqtt:RetrySeconds=1",
            "--Logging:LogLevel:Default=Warning",
        ];
        // The password comes through the environment, as the systemd unit's credentials file would provide it.
        return ServerProcess.Start("dotnet", args, _dir.Path, new Dictionary<string, string> { ["HOMESIGNAL_EDGE_Mqtt__Password"] = "crash-secret" });
    }

    private static async Task<string> MosquittoSub(MosquittoServer broker, string topic)
    {
        var binary = RequiredTool.Find("mosquitto_sub", "mosquitto-clients");
        await using var sub = ServerProcess.Start(binary, ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", "-t", topic, "-C", "1", "-W", "20"], broker.Directory);
        await sub.WaitForExitAsync(TimeSpan.FromSeconds(60)); // mosquitto_sub itself gives up after 20 s (-W 20)
        return sub.Output;
    }

    private static string IntegrityCheck(string path)
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=false");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        return (string)cmd.ExecuteScalar()!;
    }

    private static long OutboxDepth(string path)
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=false;Mode=ReadOnly");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM outbox";
        return (long)cmd.ExecuteScalar()!;
    }

    private static long LastSeq(string path)
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=false");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = 'last_seq'";
        return (long)cmd.ExecuteScalar()!;
    }
}
