using System.Globalization;
using HomeSignal.Edge.Hub;
using Microsoft.Extensions.Hosting.Systemd;

namespace HomeSignal.Edge.Liveness;

/// <summary>
/// Feeds systemd's watchdog (WatchdogSec in the unit) while the publish loop is alive; if the loop hangs, systemd
/// restarts the service. Does nothing when not run by systemd with a watchdog.
/// </summary>
internal sealed class WatchdogService(ISystemdNotifier notifier, EventPublisher publisher, TimeProvider time, ILogger<WatchdogService> logger) : BackgroundService
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled
            || !long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var usec)
            || usec <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMicroseconds(usec / 2.0), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (time.GetUtcNow() - publisher.LastLoop < StallLimit)
            {
                notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
            else
            {
                logger.LogError("The publish loop has not run since {LastLoop}; letting the systemd watchdog restart the service.", publisher.LastLoop);
            }
        }
    }
}
