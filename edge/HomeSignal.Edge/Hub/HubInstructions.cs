using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Liveness;
using HomeSignal.Edge.Sensors;

namespace HomeSignal.Edge.Hub;

/// <summary>Applies what the hub sends besides acks: the retained kit config and one-off commands.</summary>
public sealed class HubInstructions
{
    private readonly KitIdentity _identity;
    private readonly HeartbeatSchedule _heartbeats;
    private readonly SensorBank _sensors;
    private readonly StatusLed _led;
    private readonly ILogger<HubInstructions> _logger;

    public HubInstructions(HubConnection hub, KitIdentity identity, HeartbeatSchedule heartbeats, SensorBank sensors, StatusLed led, ILogger<HubInstructions> logger)
    {
        _identity = identity;
        _heartbeats = heartbeats;
        _sensors = sensors;
        _led = led;
        _logger = logger;
        hub.MessageReceived += OnMessage;
        hub.Connected += heartbeats.RequestNow;
    }

    public void HandleConfig(byte[] payload)
    {
        var result = ContractReader.ReadConfig(payload, _identity.KitId);
        if (!result.IsValid)
        {
            _logger.LogWarning("Ignored an invalid kit config: {Error}", result.Error);
            return;
        }

        var config = result.Value!;
        _heartbeats.Interval = TimeSpan.FromSeconds(config.HeartbeatIntervalSeconds);
        var local = _sensors.Monitors.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var registered = config.Sensors.Select(s => s.SensorId).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in registered.Except(local))
        {
            _logger.LogWarning("The hub expects sensor {SensorId}, which this kit does not have in Gpio:Sensors.", missing);
        }

        foreach (var extra in local.Except(registered).Where(_ => registered.Count > 0))
        {
            _logger.LogWarning("Sensor {SensorId} is not registered at the hub; its events will arrive without a room.", extra);
        }

        _logger.LogInformation("Applied the hub's config: heartbeat every {Interval} s.", config.HeartbeatIntervalSeconds);
    }

    public void HandleCommand(byte[] payload)
    {
        var result = ContractReader.ReadCommand(payload, _identity.KitId);
        if (!result.IsValid)
        {
            _logger.LogWarning("Ignored an invalid command: {Error}", result.Error);
            return;
        }

        var command = result.Value!;
        _logger.LogInformation("Command {Name} ({CommandId}).", command.Name, command.CommandId);
        switch (command.Name)
        {
            case KitCommandNames.Identify:
                _led.Blink(10);
                break;
            case KitCommandNames.HeartbeatNow:
                _heartbeats.RequestNow();
                break;
            case KitCommandNames.WalkTest:
                _sensors.WalkTest = command.Arguments.TryGetValue("active", out var active) && bool.TryParse(active, out var on) && on;
                _logger.LogInformation("Walk test {State}.", _sensors.WalkTest ? "started" : "stopped");
                break;
        }
    }

    private void OnMessage(KitChannel channel, byte[] payload)
    {
        switch (channel)
        {
            case KitChannel.Config:
                HandleConfig(payload);
                break;
            case KitChannel.Commands:
                HandleCommand(payload);
                break;
        }
    }
}
