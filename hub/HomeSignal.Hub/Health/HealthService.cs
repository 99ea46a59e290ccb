using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Health;

/// <summary>Runs the watchdog on its interval, and the sensor staleness check on its own (slower) one.</summary>
public sealed class HealthService(KitWatchdog watchdog, KitHealthTracker tracker, KitHealthStore store, IOptions<HealthOptions> options, TimeProvider time, ILogger<HealthService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        tracker.Restore(store.Load());
        var o = options.Value;
        var sensorsDue = time.GetUtcNow() + o.StaleCheckInterval;
        using var timer = new PeriodicTimer(o.CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await watchdog.CheckKitsAsync(stoppingToken);
                    if (time.GetUtcNow() >= sensorsDue)
                    {
                        sensorsDue = time.GetUtcNow() + o.StaleCheckInterval;
                        await watchdog.CheckSensorsAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The kit health check failed; it runs again on the next tick.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
