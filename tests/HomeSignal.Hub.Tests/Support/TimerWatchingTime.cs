using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>A fake clock that tells when a timer of a given due time is created (a delay has begun).</summary>
internal sealed class TimerWatchingTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Created)> _watches = [];
    private readonly List<TimeSpan> _created = [];

    public Task TimerCreated(TimeSpan due)
    {
        lock (_gate)
        {
            if (_created.Contains(due))
            {
                return Task.CompletedTask;
            }

            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _watches.Add((due, created));
            return created.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _created.Add(dueTime);
            foreach (var watch in _watches.Where(w => w.Due == dueTime))
            {
                watch.Created.TrySetResult();
            }
        }

        return timer;
    }
}
