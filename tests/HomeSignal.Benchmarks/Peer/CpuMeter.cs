using System.Diagnostics;

namespace HomeSignal.Benchmarks.Peer;

/// <summary>CPU seconds of this process, influxd and the benchmark's own mosquitto between Start and Stop.</summary>
internal sealed class CpuMeter : IDisposable
{
    private readonly Process _self = Process.GetCurrentProcess();
    private readonly Process? _influxd;
    private readonly Process? _mosquitto;
    private (TimeSpan Self, TimeSpan Influxd, TimeSpan Mosquitto) _start;

    public CpuMeter(int? influxdId, string mosquittoConfig)
    {
        _influxd = influxdId is { } id ? Process.GetProcessById(id) : null;
        _mosquitto = FindByArgument("mosquitto", mosquittoConfig);
    }

    public void Start() => _start = Read();

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until influxd used under 2.5% of a core for 1.2 s, so work it carries
    /// over from one round (a cache snapshot, a compaction) does not slow the next. InfluxDB looks for such work once a
    /// second, so a shorter quiet spell can end just before it starts. Returns how long it waited.
    /// </summary>
    public async Task<TimeSpan> WaitForQuietInfluxdAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (_influxd is null)
        {
            return TimeSpan.Zero;
        }

        var window = TimeSpan.FromMilliseconds(1200);
        while (watch.Elapsed < limit)
        {
            var before = Read().Influxd;
            await Task.Delay(window, cancellationToken);
            if (Read().Influxd - before < window / 40)
            {
                break;
            }
        }

        return watch.Elapsed;
    }

    public (double Self, double Influxd, double Mosquitto) Stop()
    {
        var now = Read();
        return ((now.Self - _start.Self).TotalSeconds, (now.Influxd - _start.Influxd).TotalSeconds, (now.Mosquitto - _start.Mosquitto).TotalSeconds);
    }

    public void Dispose()
    {
        _self.Dispose();
        _influxd?.Dispose();
        _mosquitto?.Dispose();
    }

    private (TimeSpan Self, TimeSpan Influxd, TimeSpan Mosquitto) Read()
    {
        _self.Refresh();
        _influxd?.Refresh();
        _mosquitto?.Refresh();
        return (_self.TotalProcessorTime, _influxd?.TotalProcessorTime ?? TimeSpan.Zero, _mosquitto?.TotalProcessorTime ?? TimeSpan.Zero);
    }

    /// <summary>The process of that name started with that argument (our own broker, not another one on the machine).</summary>
    private static Process? FindByArgument(string name, string argument)
    {
        foreach (var process in Process.GetProcessesByName(name))
        {
            try
            {
                var cmdline = File.ReadAllText($"/proc/{process.Id}/cmdline");
                if (cmdline.Contains(argument, StringComparison.Ordinal))
                {
                    return process;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }

            process.Dispose();
        }

        return null;
    }
}
