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
