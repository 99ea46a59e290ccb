namespace HomeSignal.Edge.Sensors;

/// <summary>Opens the pins when the kit starts and releases them when it stops.</summary>
internal sealed class SensorService(SensorBank bank) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        bank.Open();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        bank.Dispose();
        return Task.CompletedTask;
    }
}
