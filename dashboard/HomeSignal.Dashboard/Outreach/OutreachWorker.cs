using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Outreach;

/// <summary>Thin timer around <see cref="OutreachPlanner.RunOnceAsync"/>; the logic lives in the planner.</summary>
public sealed class OutreachWorker(OutreachPlanner planner, TimeProvider time, IOptions<OutreachOptions> options, ILogger<OutreachWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Worker)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        do
        {
            try
            {
                var run = await planner.RunOnceAsync(stoppingToken);
                if (run.TasksCreated + run.EvidenceAdded + run.Escalated > 0)
                {
                    logger.LogInformation("Outreach run: {Run}", run);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed run is logged and retried at the next tick; the worker must not die.
                logger.LogError(e, "Outreach run failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
