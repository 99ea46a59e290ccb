namespace HomeSignal.Edge.Provisioning;

/// <summary>Claim mode's only service: claim until enrolled, then start the kit proper; stop it on shutdown.</summary>
internal sealed class ClaimModeService(Claimer claimer, KitLauncher launcher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await claimer.RunAsync(stoppingToken);
            await launcher.LaunchAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while waiting for enrolment.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await launcher.StopAsync(cancellationToken);
    }
}
