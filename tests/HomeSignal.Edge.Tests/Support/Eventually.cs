namespace HomeSignal.Edge.Tests.Support;

/// <summary>Bounded polling for conditions that real servers make true in their own time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {(timeout ?? DefaultTimeout).TotalSeconds:0} s for: {what}. {state?.Invoke()}");
            }

            await Task.Delay(50);
        }
    }
}
