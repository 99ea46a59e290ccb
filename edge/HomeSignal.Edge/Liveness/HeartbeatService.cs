using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Edge.Hub;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Outbox;
using HomeSignal.Edge.Sensors;

namespace HomeSignal.Edge.Liveness;

/// <summary>Composes the kit's health into a <see cref="Heartbeat"/>.</summary>
public sealed class HeartbeatComposer(KitIdentity identity, KitHealth health, OutboxStore outbox, SensorBank sensors, SystemProbe probe, ClockSync clock, HeartbeatSchedule schedule, TimeProvider time)
{
    public Heartbeat Compose()
    {
        var now = time.GetUtcNow();
        var stats = outbox.Stats();
        return new Heartbeat
        {
            KitId = identity.KitId,
            BootId = identity.BootId,
            Ts = now,
            UptimeSeconds = (long)(now - identity.StartedAt).TotalSeconds,
            IntervalSeconds = (int)schedule.Interval.TotalSeconds,
            ClockSynced = clock.IsSynced(),
            Outbox = new OutboxHealth
            {
                Depth = stats.Depth,
                Bytes = stats.Bytes,
                OldestAgeSeconds = stats.Oldest is { } oldest ? Math.Max(0, Math.Round((now - oldest).TotalSeconds, 1)) : null,
                CapacityEvents = stats.CapacityEvents,
                CapacityBytes = stats.CapacityBytes,
            },
            DiskFreeBytes = probe.DiskFreeBytes(),
            CpuTemperatureCelsius = probe.CpuTemperatureCelsius(),
            SoftwareVersion = identity.SoftwareVersion,
            Sensors = sensors.Health(),
            Flags = health.Snapshot(),
        };
    }
}

/// <summary>Publishes a heartbeat every interval (default 60 s), watches the clock, and keeps the status LED honest.</summary>
internal sealed class HeartbeatService(
    HeartbeatComposer composer,
    HeartbeatSchedule schedule,
    HubConnection hub,
    ClockSync clock,
    KitHealth health,
    EventRecorder recorder,
    StatusLed led,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            WatchClock();
            led.SetHealthy(hub.IsConnected && health.Snapshot().Count == 0);
            if (hub.IsConnected)
            {
                try
                {
                    var result = await hub.PublishAsync(KitChannel.Heartbeat, ContractReader.Write(composer.Compose()), retain: false, stoppingToken);
                    if (!result.IsSuccess && result.ReasonCode != MQTTnet.MqttClientPublishReasonCode.NoMatchingSubscribers)
                    {
                        logger.LogWarning("Heartbeat refused by the broker: {Code}.", result.ReasonCode);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Heartbeat not sent: {Message}", ex.Message);
                }
            }

            await schedule.WaitAsync(time, stoppingToken);
        }
    }

    private void WatchClock()
    {
        if (clock.IsSynced())
        {
            if (health.Clear(HealthFlags.ClockUnsynchronised))
            {
                logger.LogInformation("The clock is synchronised again.");
            }
        }
        else if (health.Set(HealthFlags.ClockUnsynchronised))
        {
            logger.LogWarning("The clock is not synchronised; event times may be wrong until NTP catches up.");
            recorder.RecordKit(SensorStates.ClockUnsynchronised);
        }
    }
}
