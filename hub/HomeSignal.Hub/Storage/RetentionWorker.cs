using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Storage;

/// <summary>Deletes raw events past their retention (90 days by default) and aggregates past theirs, on an interval.</summary>
public sealed class RetentionWorker(IEventStore store, IOptions<StorageOptions> options, TimeProvider time, ILogger<RetentionWorker> logger) : BackgroundService
{
    public async Task<RetentionResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        var result = await store.ApplyRetentionAsync(
            new RetentionCutoffs(now.AddDays(-o.RawRetentionDays), now.AddDays(-o.AggregateRetentionDays)), cancellationToken);
        if (result.RawEventsDeleted > 0 || result.AggregatesDeleted > 0)
        {
            logger.LogInformation("Retention deleted {Raw} raw events and {Aggregates} aggregate rows.", result.RawEventsDeleted, result.AggregatesDeleted);
        }

        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionInterval, time);
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
                    logger.LogError(ex, "Applying retention failed; it runs again on the next tick.");
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
