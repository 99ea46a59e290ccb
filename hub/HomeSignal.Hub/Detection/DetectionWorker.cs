using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Detection;

/// <summary>Ticks the <see cref="ResidentMonitor"/>: acute rules every <see cref="HubDetectionOptions.EvaluateEvery"/>, the nightly pass when due.</summary>
public sealed class DetectionWorker(ResidentMonitor monitor, IOptions<HubDetectionOptions> options, TimeProvider time, ILogger<DetectionWorker> logger) : BackgroundService
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await monitor.EvaluateAsync(cancellationToken);
        if (monitor.NightlyDue(time.GetUtcNow()))
        {
            await monitor.RunNightlyAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluateEvery, time);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Detection failed; it runs again on the next tick.");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
