using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Liveness;

/// <summary>When the next heartbeat is due: the configured interval, overridden by the hub's config; "now" on request.</summary>
public sealed class HeartbeatSchedule
{
    private readonly Channel<bool> _now = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public HeartbeatSchedule(IOptions<LivenessOptions> options) => Interval = TimeSpan.FromSeconds(options.Value.HeartbeatIntervalSeconds);

    public TimeSpan Interval { get; set; }

    public void RequestNow() => _now.Writer.TryWrite(true);

    /// <summary>Waits for the interval to pass or for <see cref="RequestNow"/>.</summary>
    public async Task WaitAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Interval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _now.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed.
        }
    }
}
