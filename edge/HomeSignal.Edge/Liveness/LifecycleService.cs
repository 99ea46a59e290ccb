using HomeSignal.Contracts.Payloads;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Outbox;

namespace HomeSignal.Edge.Liveness;

/// <summary>
/// Registered first, so it starts first and stops last. At start it records the boot, and "power restored" when the
/// previous run left no clean-shutdown marker (power loss, crash or kill); at a clean stop it writes that marker.
/// </summary>
internal sealed class LifecycleService(DataDirectory data, OutboxStore outbox, EventRecorder recorder, ILogger<LifecycleService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var clean = data.ConsumeCleanShutdownMarker();
        recorder.RecordKit(SensorStates.Boot);
        if (outbox.UsedBefore && !clean)
        {
            logger.LogWarning("The previous run did not stop cleanly (power loss or crash): reporting power restored.");
            recorder.RecordKit(SensorStates.PowerRestored);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        data.WriteCleanShutdownMarker();
        return Task.CompletedTask;
    }
}
