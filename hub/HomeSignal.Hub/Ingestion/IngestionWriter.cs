namespace HomeSignal.Hub.Ingestion;

/// <summary>Runs the batch writer for the life of the hub.</summary>
public sealed class IngestionWriter(IngestionPipeline pipeline) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await pipeline.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; unacknowledged events stay with the broker.
        }
    }
}
