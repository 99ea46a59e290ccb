using System.Device.Gpio;
using System.Net.Http.Json;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Sensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HomeSignal.Demo;

/// <summary>
/// The "simulated hand" of the demo's walk test, so an installer can try it without hardware: it reads the hub's walk
/// test through the API (with the demo's key) and, a few seconds after a step is shown as current, does what the step
/// asks at the waiting kit's simulated pins — opens the door, walks past a sensor, pushes the post flap. The front door's
/// reed is fitted as normally-open while the kit is configured normally-closed, so the hub sees it the wrong way round;
/// when that step fails the hand swaps the reed, and the installer's "Opnieuw" then passes. Everything it does is logged.
/// </summary>
public sealed class DemoHand(WaitingKit kit, HttpClient hub, TimeSpan delay, TimeProvider time, TextWriter output)
{
    private readonly Dictionary<string, string> _lastStatus = new(StringComparer.Ordinal);
    private readonly List<(DateTimeOffset At, Action Act)> _due = [];
    private IHost? _kit;
    private string? _kitId;
    private SimulatedGpioDriver? _gpio;
    private SensorInjector? _injector;
    private GpioOptions? _sensors;
    private DateTimeOffset? _swappedAt;
    private bool _swapAnnounced;

    /// <summary>The reed type fitted at the front door (the kit believes <see cref="WaitingKit.WrongContact"/>).</summary>
    public bool DoorReedNormallyOpen { get; private set; } = true;

    /// <summary>One look at the hub and the due actions; called every second by the demo.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (_, act) in _due.Where(d => d.At <= now).ToList())
        {
            act();
        }

        _due.RemoveAll(d => d.At <= now);
        if (_kit is null)
        {
            if (kit.Enrolled.IsCompletedSuccessfully)
            {
                Attach(kit.Enrolled.Result);
            }

            return;
        }

        JsonElement test;
        try
        {
            using var response = await hub.GetAsync(new Uri($"api/kits/{Uri.EscapeDataString(_kitId!)}/walktest", UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return; // no walk test (yet, or any more after go-live)
            }

            test = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return; // the hub is busy or restarting: look again on the next tick
        }

        foreach (var step in test.GetProperty("steps").EnumerateArray())
        {
            var sensorId = step.GetProperty("sensorId").GetString()!;
            var status = step.GetProperty("status").GetString()!;
            var previous = _lastStatus.GetValueOrDefault(sensorId);
            _lastStatus[sensorId] = status;
            if (status == "current" && previous != "current")
            {
                Say($"stap '{sensorId}' is aan de beurt; over {delay.TotalSeconds:0} s doe ik hem.");
                _due.Add((now + delay, () => Perform(sensorId)));
            }

            var problem = step.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (status == "failed" && previous != "failed" && sensorId == WaitingKit.DoorSensor && problem == "inverted" && DoorReedNormallyOpen && _swappedAt is null)
            {
                // A second after the door is shut again (so its own reading comes first), swap the reed.
                _due.Add((now + delay + TimeSpan.FromSeconds(1), () =>
                {
                    // Whole milliseconds, as the hub stores the kit's timestamps.
                    _swappedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
                    DoorReedNormallyOpen = false;
                    Door(open: false);
                    Say("ik wissel het reed-contact van de voordeur om.");
                }));
            }
        }

        if (_swappedAt is { } swapped && !_swapAnnounced && await DoorReadSinceAsync(swapped, cancellationToken))
        {
            // Only once the kit's reading of the rewired contact at rest reached the hub: an "Opnieuw" before it would
            // have the walk test judge that reading as the first of the new attempt.
            _swapAnnounced = true;
            Say("het reed-contact van de voordeur is omgewisseld. Kies in de looptest 'Opnieuw' bij de voordeur.");
        }
    }

    private async Task<bool> DoorReadSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            var recent = await hub.GetFromJsonAsync<JsonElement>(new Uri($"api/kits/{Uri.EscapeDataString(_kitId!)}/events?limit=20", UriKind.Relative), cancellationToken);
            return recent.ValueKind == JsonValueKind.Array && recent.EnumerateArray().Any(e =>
                e.GetProperty("sensorId").GetString() == WaitingKit.DoorSensor && e.GetProperty("ts").GetDateTimeOffset() >= since);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false; // look again on the next tick
        }
    }

    private void Attach(IHost enrolled)
    {
        _kit = enrolled;
        _kitId = enrolled.Services.GetRequiredService<IOptions<KitOptions>>().Value.KitId;
        _gpio = enrolled.Services.GetRequiredService<SimulatedGpioDriver>();
        _injector = enrolled.Services.GetRequiredService<SensorInjector>();
        _sensors = enrolled.Services.GetRequiredService<IOptions<GpioOptions>>().Value;
        // The door is shut; with the wrong reed type the kit reads that as open (before any walk test starts).
        Door(open: false);
        Say($"kit {_kitId} is aangemeld en verbonden. De voordeur is dicht, maar het contact is omgekeerd ingesteld. Start de looptest in het dashboard.");
    }

    private void Perform(string sensorId)
    {
        var sensor = _sensors!.Sensors.FirstOrDefault(s => s.Id == sensorId);
        switch (sensor?.Kind)
        {
            case SensorKind.Door when sensorId == WaitingKit.DoorSensor:
                Door(open: true);
                _due.Add((time.GetUtcNow().AddSeconds(1.5), () => Door(open: false)));
                Say("voordeur open en weer dicht.");
                break;
            case SensorKind.Door or SensorKind.MailboxFlap or SensorKind.MailboxDoor:
                _injector!.Open(sensorId);
                _due.Add((time.GetUtcNow().AddSeconds(1.5), () => _injector.Close(sensorId)));
                Say($"{sensorId} open en weer dicht.");
                break;
            case SensorKind.Motion:
                _injector!.Motion(sensorId);
                Say($"langs {sensorId} gelopen.");
                break;
            case SensorKind.Button:
                _injector!.Press(sensorId);
                Say($"op {sensorId} gedrukt.");
                break;
            default:
                Say($"sensor {sensorId} ken ik niet; overgeslagen.");
                break;
        }
    }

    /// <summary>The physical door: the pin has a pull-up and a closed reed contact pulls it low.</summary>
    private void Door(bool open)
    {
        var pin = _sensors!.Sensors.Single(s => s.Id == WaitingKit.DoorSensor).Pin!.Value;
        var contactClosed = DoorReedNormallyOpen ? !open : open;
        _gpio!.SetLevel(pin, contactClosed ? PinValue.Low : PinValue.High);
    }

    private void Say(string text) => output.WriteLine($"Demo-hand (looptest zonder hardware): {text}");
}
