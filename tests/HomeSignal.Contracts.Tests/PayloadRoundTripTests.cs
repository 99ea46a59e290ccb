using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;

namespace HomeSignal.Contracts.Tests;

public class PayloadRoundTripTests
{
    [Fact]
    public void A_sensor_event_survives_a_round_trip_unchanged()
    {
        var original = ContractSamples.DoorOpened();

        var result = ContractReader.ReadEvent(ContractReader.Write(original), ContractSamples.KitId);

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Equal(original, result.Value);
    }

    [Fact]
    public void A_sensor_event_is_written_with_the_documented_field_names_and_kebab_case_kinds()
    {
        var json = System.Text.Encoding.UTF8.GetString(ContractReader.Write(ContractSamples.DoorOpened() with
        {
            SensorId = "mailbox-flap",
            Kind = SensorKind.MailboxFlap,
        }));

        Assert.Contains("\"v\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"kitId\":\"kit-7f3a9c\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"mailbox-flap\"", json, StringComparison.Ordinal);
        Assert.Contains("\"clockSynced\":true", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_heartbeat_with_sensors_and_flags_survives_a_round_trip()
    {
        var heartbeat = new Heartbeat
        {
            KitId = ContractSamples.KitId,
            BootId = ContractSamples.BootId,
            Ts = DateTimeOffset.Parse("2026-11-22T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            UptimeSeconds = 3600,
            IntervalSeconds = 60,
            ClockSynced = true,
            Outbox = new OutboxHealth { Depth = 3, Bytes = 900, OldestAgeSeconds = 12.5, CapacityEvents = 200_000, CapacityBytes = 64 << 20 },
            DiskFreeBytes = 1_000_000_000,
            CpuTemperatureCelsius = 48.2,
            SoftwareVersion = "0.1.0",
            Sensors = [new SensorHealth { SensorId = "door-front", Kind = SensorKind.Door, State = "closed", LastChange = DateTimeOffset.UnixEpoch.AddYears(56) }],
            Flags = [HealthFlags.NoSubscribers],
        };

        var result = ContractReader.ReadHeartbeat(ContractReader.Write(heartbeat), ContractSamples.KitId);

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Equal(heartbeat.Outbox, result.Value!.Outbox);
        Assert.Equal(heartbeat.Sensors.Single(), result.Value.Sensors.Single());
        Assert.Equal(heartbeat.Flags, result.Value.Flags);
    }

    [Fact]
    public void Status_ack_config_and_command_survive_a_round_trip()
    {
        var ts = DateTimeOffset.Parse("2026-11-22T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var status = new KitStatus { KitId = ContractSamples.KitId, BootId = ContractSamples.BootId, State = KitState.Offline, Ts = ts };
        var ack = new HubAck
        {
            KitId = ContractSamples.KitId,
            Ts = ts,
            Stored = [new SeqRange(ContractSamples.BootId, 10, 20)],
            Rejected = [new RejectedEvent(ContractSamples.BootId, 21, "invalid-state")],
        };
        var config = new KitConfig
        {
            KitId = ContractSamples.KitId,
            Ts = ts,
            HeartbeatIntervalSeconds = 30,
            Sensors = [new SensorAssignment("motion-living", SensorKind.Motion, "woonkamer", "activity")],
        };
        var command = new KitCommand { KitId = ContractSamples.KitId, CommandId = "c1", Name = KitCommandNames.Identify, Ts = ts };

        Assert.Equal(status, ContractReader.ReadStatus(ContractReader.Write(status), ContractSamples.KitId).Value);
        var readAck = ContractReader.ReadAck(ContractReader.Write(ack), ContractSamples.KitId).Value!;
        Assert.Equal(ack.Stored, readAck.Stored);
        Assert.Equal(ack.Rejected, readAck.Rejected);
        var readConfig = ContractReader.ReadConfig(ContractReader.Write(config), ContractSamples.KitId).Value!;
        Assert.Equal(config.Sensors, readConfig.Sensors);
        Assert.Equal(command.Name, ContractReader.ReadCommand(ContractReader.Write(command), ContractSamples.KitId).Value!.Name);
    }

    [Fact]
    public void Unknown_fields_from_a_newer_kit_are_ignored()
    {
        var json = ContractSamples.EventJson().Replace("\"clockSynced\":true", "\"clockSynced\":true,\"rssi\":-61", StringComparison.Ordinal);

        var result = ContractReader.ReadEvent(ContractSamples.Utf8(json), ContractSamples.KitId);

        Assert.True(result.IsValid, result.Error?.ToString());
    }
}
