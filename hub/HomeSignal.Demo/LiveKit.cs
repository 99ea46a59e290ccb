using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Edge.Sensors;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HomeSignal.Demo;

/// <summary>
/// A real edge worker (simulated GPIO) hosted in-process, fed by a simulated resident living in real time: each change
/// the resident makes is injected at the kit's pins, so it travels debounce → outbox → MQTT → hub like a real one.
/// </summary>
public sealed class LiveKit : IAsyncDisposable
{
    // BCM pins free for inputs on a Raspberry Pi (the defaults of appsettings.json come first).
    private static readonly int[] Pins = [17, 27, 22, 23, 24, 25, 5, 6, 26, 13, 19, 12];

    private readonly IHost _host;
    private readonly LiveResident _resident;
    private readonly SensorInjector _injector;

    private LiveKit(IHost host, LiveResident resident)
    {
        _host = host;
        _resident = resident;
        _injector = host.Services.GetRequiredService<SensorInjector>();
    }

    public string KitId { get; private init; } = string.Empty;

    public bool Running { get; private set; }

    public static async Task<LiveKit> StartAsync(string kitId, string password, int mqttPort, string dataDirectory, SimulationScenario scenario, TimeProvider time)
    {
        // The same patterns as the history: a resident who fell this afternoon does not get up when the demo starts.
        var resident = new LiveResident(scenario.Profile, scenario.Seed, time, scenario.Patterns);
        var settings = new Dictionary<string, string?>
        {
            ["Kit:KitId"] = kitId,
            ["Kit:DataDirectory"] = dataDirectory,
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:UseTls"] = "false",
            ["Mqtt:Username"] = kitId,
            ["Mqtt:Password"] = password,
            ["Gpio:Mode"] = "Simulated",
            ["Liveness:AssumeClockSynced"] = "true",
            ["Liveness:HeartbeatIntervalSeconds"] = "10",
            ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        var sensors = resident.Sensors.Append(new SensorAssignment("button-ok", SensorKind.Button, "woonkamer", "alles goed")).ToList();
        for (var i = 0; i < sensors.Count; i++)
        {
            var s = sensors[i];
            var key = $"Gpio:Sensors:{i}:";
            settings[key + "Id"] = s.SensorId;
            settings[key + "Kind"] = s.Kind.ToString();
            settings[key + "Pin"] = Pins[i].ToString(CultureInfo.InvariantCulture);
            settings[key + "Contact"] = "NormallyOpen";
            settings[key + "ActiveLevel"] = "High";
            settings[key + "Pull"] = "Down";
            settings[key + "DebounceMilliseconds"] = "20";
            settings[key + "QuietSeconds"] = s.Kind == SensorKind.Motion ? "5" : "0";
            settings[key + "Room"] = s.Room;
            settings[key + "Purpose"] = s.Purpose;
        }

        var host = Edge.Program.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        await host.StartAsync();
        return new LiveKit(host, resident) { KitId = kitId, Running = true };
    }

    /// <summary>Injects what the resident did since the last call.</summary>
    public void Step()
    {
        if (!Running)
        {
            return;
        }

        foreach (var change in _resident.TakeDue())
        {
            switch (change.Kind)
            {
                case SensorKind.Motion:
                    _injector.SetMotion(change.SensorId, change.State == SensorStates.Active);
                    break;
                case SensorKind.Door or SensorKind.MailboxFlap or SensorKind.MailboxDoor when change.State == SensorStates.Open:
                    _injector.Open(change.SensorId);
                    break;
                case SensorKind.Door or SensorKind.MailboxFlap or SensorKind.MailboxDoor:
                    _injector.Close(change.SensorId);
                    break;
                default:
                    break; // Kit lifecycle events come from the kit itself.
            }
        }
    }

    /// <summary>Stops the kit as a power cut would: no last goodbye beyond the broker's last will.</summary>
    public async Task StopAsync()
    {
        if (Running)
        {
            Running = false;
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        _resident.Dispose();
    }
}
