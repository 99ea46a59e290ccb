namespace HomeSignal.Edge.Provisioning;

/// <summary>
/// Starts the kit proper once its enrolment is stored: the same <see cref="Program.Build"/>, which now finds
/// <c>enrolment.json</c> and builds the normal kit — in this process, without a restart.
/// </summary>
public sealed class KitLauncher(Func<IHost> buildKit) : IAsyncDisposable
{
    private readonly TaskCompletionSource<IHost> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IHost? _kit;

    /// <summary>Completes with the running kit host after enrolment.</summary>
    public Task<IHost> Started => _started.Task;

    public async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var kit = buildKit();
        try
        {
            await kit.StartAsync(cancellationToken);
        }
        catch
        {
            kit.Dispose();
            throw;
        }

        _kit = kit;
        _started.TrySetResult(kit);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_kit is { } kit)
        {
            await kit.StopAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _started.TrySetCanceled();
        _kit?.Dispose();
        _kit = null;
        return ValueTask.CompletedTask;
    }
}
