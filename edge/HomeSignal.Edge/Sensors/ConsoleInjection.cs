using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Sensors;

/// <summary>
/// Simulate mode with <c>Gpio:Simulate:ConsoleInjection</c>: reads commands from standard input, one per line —
/// <c>open door-front</c>, <c>close door-front</c>, <c>motion motion-living</c>, <c>press button-ok</c>, <c>walk on|off</c>.
/// </summary>
internal sealed class ConsoleInjection(IOptions<GpioOptions> options, SensorInjector injector, SensorBank bank, ILogger<ConsoleInjection> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Simulate.ConsoleInjection || options.Value.Mode != GpioMode.Simulated)
        {
            return;
        }

        logger.LogInformation("Console injection on: type 'open|close|motion|press <sensor-id>' or 'walk on|off'. Sensors: {Sensors}.",
            string.Join(", ", injector.SensorIds));
        while (!stoppingToken.IsCancellationRequested && await Console.In.ReadLineAsync(stoppingToken) is { } line)
        {
            Apply(line.Trim());
        }
    }

    private void Apply(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            logger.LogWarning("Ignored '{Line}': expected '<open|close|motion|press> <sensor-id>' or 'walk on|off'.", line);
            return;
        }

        try
        {
            switch (parts[0])
            {
                case "open": injector.Open(parts[1]); break;
                case "close": injector.Close(parts[1]); break;
                case "motion": injector.Motion(parts[1]); break;
                case "press": injector.Press(parts[1]); break;
                case "walk": bank.WalkTest = parts[1] == "on"; break;
                default: logger.LogWarning("Unknown command '{Command}'.", parts[0]); break;
            }
        }
        catch (ArgumentException ex)
        {
            logger.LogWarning("{Message}", ex.Message);
        }
    }
}
