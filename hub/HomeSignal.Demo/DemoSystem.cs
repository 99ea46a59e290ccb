using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Hub.Detection;
using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Signals;
using HomeSignal.Hub.Storage;
using HomeSignal.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Demo;

/// <summary>
/// The whole system on one machine: the hub with its embedded broker and SQLite, the dashboard, and simulated kits —
/// each the real application, hosted in-process with its configuration given in code.
/// </summary>
public sealed class DemoSystem(DemoOptions options, TextWriter output) : IAsyncDisposable
{
    private readonly string _apiKey = RandomNumberGenerator.GetHexString(40, lowercase: true);
    private readonly List<(CastMember Member, string ResidentId, string KitId, string Password, SimulationScenario Scenario)> _residents = [];
    private readonly List<LiveKit> _kits = [];
    private WebApplication? _hub;
    private WebApplication? _dashboard;
    private HttpClient? _hubApi;
    private DemoHand? _hand;

    public IReadOnlyList<DemoUser> Users { get; } = DemoUsers.Create();

    /// <summary>The hub's event store (for tests that check what the demo's kits delivered).</summary>
    public IEventStore HubEvents => _hub?.Services.GetRequiredService<IEventStore>() ?? throw new InvalidOperationException("The hub has not started.");

    public IReadOnlyList<string> LiveKitIds => [.. _kits.Select(k => k.KitId)];

    /// <summary>The hub's signals (for tests that check what detection found in the demo's history).</summary>
    public SignalStore HubSignals => _hub?.Services.GetRequiredService<SignalStore>() ?? throw new InvalidOperationException("The hub has not started.");

    /// <summary>The hub's resident id of a cast member, by name (after <see cref="SeedResidentsAsync"/>).</summary>
    public string ResidentIdOf(string name) =>
        _residents.FirstOrDefault(r => r.Member.Name == name).ResidentId ?? throw new ArgumentException($"No demo resident is called '{name}'.", nameof(name));

    /// <summary>The unenrolled kit in claim mode, waiting for an installer (after <see cref="StartWaitingKitAsync"/>).</summary>
    public WaitingKit? Waiting { get; private set; }

    /// <summary>The dashboard page the waiting kit's label opens.</summary>
    public Uri EnrolUrl => new(DashboardUrl, "/Installatie/Aanmelden");

    public Uri DashboardUrl => new(_dashboard?.Urls.First() ?? throw new InvalidOperationException("The dashboard has not started."));

    public async Task StartHubAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDirectory);
        _hub = Hub.Program.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Broker:Host"] = "127.0.0.1",
                ["Broker:Port"] = "0",
                ["Storage:SqlitePath"] = Path.Combine(options.DataDirectory, "events.db"),
                ["Storage:RegistryPath"] = Path.Combine(options.DataDirectory, "registry.db"),
                ["Detection:ModelsDirectory"] = Path.Combine(options.DataDirectory, "models"),
                ["Api:Keys:0"] = _apiKey,
                // The waiting kit is enrolled within seconds of the installer's click, not the production 10 s.
                ["Provisioning:PollInterval"] = "00:00:02",
                // The demo's kits heartbeat every 10 s so an unplugged kit shows offline within half a minute.
                ["KitConfig:HeartbeatIntervalSeconds"] = "10",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
            b.WebHost.UseUrls($"http://127.0.0.1:{options.HubPort}");
        });
        await _hub.StartAsync(cancellationToken);
        output.WriteLine($"Hub gestart: API {_hub.HttpAddress()}, MQTT (ingebouwde broker, alleen voor de demo zonder TLS) op poort {_hub.MqttPort()}.");
    }

    /// <summary>Registers the residents and their kits, records consent, and writes eight weeks of simulated life.</summary>
    public async Task SeedResidentsAsync(CancellationToken cancellationToken)
    {
        var hub = _hub ?? throw new InvalidOperationException("Start the hub first.");
        var now = TimeProvider.System.GetUtcNow();
        var residents = hub.Services.GetRequiredService<ResidentRegistry>();
        var kits = hub.Services.GetRequiredService<KitAdministration>();
        var backfill = hub.Services.GetRequiredService<EventBackfill>();
        foreach (var member in Cast.For(now))
        {
            var scenario = Cast.ScenarioOf(member, now, options.HistoryDays);
            var history = ResidentSimulator.Run(scenario).Before(now);
            var resident = await residents.CreateAsync(member.Name, member.Phone, cancellationToken);
            await residents.SetConsentAsync(resident.ResidentId,
                new Consent(Monitoring: true, ShareWithNurse: true, Belronde: true, RecordedBy: "demo: intake door Sanne Peters", RecordedAt: now.AddDays(-options.HistoryDays)),
                cancellationToken);
            var sensors = history.Sensors.Select(s => new SensorRecord(s.SensorId, s.Kind, s.Room, s.Purpose))
                .Append(new SensorRecord("button-ok", SensorKind.Button, "woonkamer", "alles goed")).ToList();
            var credentials = await kits.CreateAsync(history.KitId, resident.ResidentId, sensors, live: true, cancellationToken);
            var stored = await backfill.BackfillAsync(history.Events, cancellationToken);
            _residents.Add((member, resident.ResidentId, credentials.KitId, credentials.Password, scenario));
            output.WriteLine($"  {member.Name,-16} kit {credentials.KitId}: {stored,6} gebeurtenissen over {options.HistoryDays} dagen — {member.Story}");
        }
    }

    /// <summary>Runs detection now (acute rules and the nightly pass) so the morning's signals exist when the dashboard opens.</summary>
    public async Task RunDetectionAsync(CancellationToken cancellationToken)
    {
        var monitor = _hub!.Services.GetRequiredService<ResidentMonitor>();
        var acute = await monitor.EvaluateAsync(cancellationToken);
        var nightly = await monitor.RunNightlyAsync(cancellationToken);
        output.WriteLine($"Detectie: {acute} signalen uit de acute regels, {nightly} uit de nachtelijke analyse.");
    }

    public async Task StartDashboardAsync(CancellationToken cancellationToken)
    {
        var round = DemoRound.Around(TimeProvider.System.GetUtcNow());
        output.WriteLine($"Belronde (demo: de ronde is nu): lijst klaar om {round.ListReady:HH\\:mm}, bellen van {round.Starts:HH\\:mm} tot {round.Ends:HH\\:mm}.");
        _dashboard = Dashboard.Program.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hub:BaseUrl"] = _hub!.HttpAddress().ToString(),
                ["Hub:ApiKey"] = _apiKey,
                ["Dashboard:DataPath"] = Path.Combine(options.DataDirectory, "dashboard"),
                ["Outreach:PollSeconds"] = "5",
                ["Belronde:ListReadyAt"] = round.ListReady.ToString("HH:mm", CultureInfo.InvariantCulture),
                ["Belronde:RoundStartsAt"] = round.Starts.ToString("HH:mm", CultureInfo.InvariantCulture),
                ["Belronde:RoundEndsAt"] = round.Ends.ToString("HH:mm", CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
            b.WebHost.UseUrls($"http://127.0.0.1:{options.DashboardPort}");
        });

        var users = _dashboard.Services.GetRequiredService<UserStore>();
        foreach (var user in Users)
        {
            users.Create(user.Username, user.DisplayName, user.Role, user.Password);
        }

        var caseload = _dashboard.Services.GetRequiredService<Caseload>();
        foreach (var (member, residentId, _, _, _) in _residents)
        {
            caseload.Assign(residentId, Roles.Vrijwilliger, member.Seed is 101 or 102 or 104 ? "anna" : "bert");
            caseload.Assign(residentId, Roles.SociaalWerker, "sanne");
            caseload.Assign(residentId, Roles.Wijkverpleegkundige, "noor");
            caseload.Assign(residentId, Roles.Installateur, "ivo");
            if (member.DailyRoundReason is { } reason)
            {
                caseload.AddToDailyRound(residentId, reason, "sanne");
            }
        }

        await _dashboard.StartAsync(cancellationToken);
        await _dashboard.Services.GetRequiredService<OutreachPlanner>().RunOnceAsync(cancellationToken);
        var open = _dashboard.Services.GetRequiredService<TaskStore>().List(activeOnly: true);
        output.WriteLine($"Dashboard: {open.Count} open taken ({string.Join(", ", open.GroupBy(t => t.Kind).Select(g => $"{g.Count()}× {g.Key}"))}).");
    }

    public async Task StartLiveKitsAsync(CancellationToken cancellationToken)
    {
        var port = _hub!.MqttPort();
        foreach (var (member, _, kitId, password, scenario) in _residents.Where(r => r.Member.LiveKit))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dir = Path.Combine(options.DataDirectory, "kits", kitId);
            _kits.Add(await LiveKit.StartAsync(kitId, password, port, dir, scenario, TimeProvider.System));
        }
    }

    /// <summary>
    /// Starts one new kit in claim mode that waits to be provisioned in the dashboard (Installatie → Kit aanmelden), and the
    /// simulated hand that performs its walk test at its pins.
    /// </summary>
    public async Task StartWaitingKitAsync(CancellationToken cancellationToken)
    {
        var hub = _hub ?? throw new InvalidOperationException("Start the hub first.");
        Waiting = await WaitingKit.StartAsync(Path.Combine(options.DataDirectory, "kits", "nieuw"), hub.HttpAddress(), EnrolUrl.ToString(), cancellationToken);
        _hubApi = new HttpClient { BaseAddress = hub.HttpAddress(), Timeout = TimeSpan.FromSeconds(10) };
        _hubApi.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _apiKey);
        _hand = new DemoHand(Waiting, _hubApi, options.WalkTestHandDelay, TimeProvider.System, output);
        output.WriteLine($"Nieuwe kit wacht op aanmelding: claimcode {Waiting.ClaimCode} (label: {Waiting.LabelPath}).");
    }

    /// <summary>One step of the waiting kit's simulated hand (the demo's loop calls it every second).</summary>
    public Task StepHandAsync(CancellationToken cancellationToken) => _hand?.StepAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Keeps the simulated residents living until Ctrl+C; stops the failing kit after a while.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failing = _residents.Where(r => r.Member.KitFailsAfterStart).Select(r => r.KitId).ToHashSet(StringComparer.Ordinal);
        var started = TimeProvider.System.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await StepHandAsync(cancellationToken);
                foreach (var kit in _kits)
                {
                    kit.Step();
                    if (failing.Contains(kit.KitId) && kit.Running && TimeProvider.System.GetUtcNow() - started > options.FailingKitRunsFor)
                    {
                        await kit.StopAsync();
                        output.WriteLine($"Kit {kit.KitId} is uitgevallen (gesimuleerde stroomstoring); de hub meldt hem binnen drie hartslagen offline.");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Waiting is not null)
        {
            await Waiting.DisposeAsync();
        }

        _hubApi?.Dispose();
        foreach (var kit in _kits)
        {
            await kit.DisposeAsync();
        }

        if (_dashboard is not null)
        {
            using var dashboardStop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _dashboard.StopAsync(dashboardStop.Token);
            await _dashboard.DisposeAsync();
        }

        if (_hub is not null)
        {
            using var hubStop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _hub.StopAsync(hubStop.Token);
            await _hub.DisposeAsync();
        }
    }

    /// <summary>A port to listen on: the preferred one when free, otherwise one the OS picks.</summary>
    public static int PortOrFree(int preferred)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, preferred);
            probe.Start();
            return preferred;
        }
        catch (SocketException)
        {
            using var any = new TcpListener(IPAddress.Loopback, 0);
            any.Start();
            return ((IPEndPoint)any.LocalEndpoint).Port;
        }
    }
}

/// <summary>
/// The demo's belronde is "now", whatever the hour it starts (a real one is ready at 08:30 for 09:00): otherwise an
/// evening demo would show an empty list, today's round being over.
/// </summary>
public sealed record DemoRound(TimeOnly ListReady, TimeOnly Starts, TimeOnly Ends)
{
    public static DemoRound Around(DateTimeOffset now)
    {
        var local = TimeOnly.FromDateTime(Detection.History.LocalClock.ToLocal(now));
        var starts = local < new TimeOnly(0, 15) ? new TimeOnly(0, 15) : local;
        var ends = starts > new TimeOnly(20, 59) ? new TimeOnly(23, 59) : starts.AddHours(3);
        return new DemoRound(starts.AddMinutes(-10), starts, ends);
    }
}
