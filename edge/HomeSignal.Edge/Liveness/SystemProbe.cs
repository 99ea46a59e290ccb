using System.Globalization;
using HomeSignal.Edge.Kit;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Liveness;

/// <summary>Reads what the Pi can tell about itself; every reading is optional (null when the platform does not offer it).</summary>
public sealed class SystemProbe(IOptions<LivenessOptions> options, DataDirectory data)
{
    public long? DiskFreeBytes()
    {
        try
        {
            return new DriveInfo(data.Path).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public double? CpuTemperatureCelsius()
    {
        try
        {
            var text = File.ReadAllText(options.Value.CpuTemperaturePath).Trim();
            return double.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milli) && milli is > -60_000 and < 150_000
                ? Math.Round(milli / 1000.0, 1)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
