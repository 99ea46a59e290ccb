using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace HomeSignal.Edge.Provisioning;

/// <summary>
/// Claim mode's share of the systemd watchdog (WatchdogSec in the unit): fed while the claimer's loop is alive, so a
/// kit waiting days for its installer is not restarted over and over. The kit proper has its own watchdog.
/// </summary>
internal sealed class ClaimWatchdog(ISystemdNotifier notifier, Claimer claimer, KitLauncher launcher, TimeProvider time, ILogger<ClaimWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled
            || !long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var usec)
            || usec <= 0)
        {
            return;
        }

        var interval = TimeSpan.FromMicroseconds(usec / 2.0);
        using var timer = new PeriodicTimer(interval, time);
        while (!launcher.Started.IsCompleted && await timer.WaitForNextTickAsync(stoppingToken))
        {
            // The claimer polls at least every Provisioning:PollBackoffMaxSeconds; twice that is a hang.
            if (time.GetUtcNow() - claimer.LastLoop < claimer.StallLimit)
            {
                notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
            else
            {
                logger.LogError("The claim loop has not run since {LastLoop}; letting the systemd watchdog restart the service.", claimer.LastLoop);
            }
        }
    }
}
