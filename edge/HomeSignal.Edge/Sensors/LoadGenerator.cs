using HomeSignal.Contracts.Payloads;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Sensors;

/// <summary>Simulate mode only: toggles one sensor at a steady rate, for crash tests and benchmarks.</summary>
internal sealed class LoadGenerator(IOptions<GpioOptions> options, SensorInjector injector, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var simulate = options.Value.Simulate;
        if (simulate.LoadEventsPerSecond <= 0)
        {
            return;
        }

        var sensor = options.Value.Sensors.Single(s => s.Id == simulate.LoadSensorId);
        var kinds = new[] { sensor.Kind!.Value };
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / simulate.LoadEventsPerSecond), time);
        var active = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            active = !active;
            if (sensor.Kind == SensorKind.Button)
            {
                injector.Press(sensor.Id);
            }
            else
            {
                injector.Set(sensor.Id, active, kinds);
            }
        }
    }
}
