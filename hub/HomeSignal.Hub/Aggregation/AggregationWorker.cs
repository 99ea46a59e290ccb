using HomeSignal.Hub.Registry;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Aggregation;

/// <summary>Keeps yesterday's and today's aggregates of every resident with a kit up to date.</summary>
public sealed class AggregationWorker(AggregationService aggregation, KitRegistry kits, IOptions<AggregationOptions> options, TimeProvider time, ILogger<AggregationWorker> logger) : BackgroundService
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var today = aggregation.Aggregator.LocalDay(time.GetUtcNow());
        foreach (var residentId in kits.All().Where(k => k.ResidentId is not null).Select(k => k.ResidentId!).Distinct(StringComparer.Ordinal))
        {
            await aggregation.RecomputeAsync(residentId, today.AddDays(-1), today, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
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
                    logger.LogError(ex, "Recomputing aggregates failed; it runs again on the next tick.");
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
