using System.Text.Json;

namespace HomeSignal.Edge.Tests.Hardware;

public sealed class PinTableTests
{
    [Fact]
    public void The_hardware_pin_table_matches_the_kits_default_pins()
    {
        using var defaults = typeof(Program).Assembly.GetManifestResourceStream("HomeSignal.Edge.appsettings.json")!;
        using var json = JsonDocument.Parse(defaults);
        var gpio = json.RootElement.GetProperty("Gpio");
        var table = File.ReadAllLines(Path.Combine(RepositoryRoot(), "hardware", "pins.md"))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1], cells => cells[3], StringComparer.Ordinal);

        foreach (var sensor in gpio.GetProperty("Sensors").EnumerateArray())
        {
            var id = sensor.GetProperty("Id").GetString()!;
            Assert.True(table.TryGetValue(id, out var pin), $"hardware/pins.md has no row for {id}; run hardware/wiring/generate.py");
            Assert.Equal(sensor.GetProperty("Pin").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), pin);
            Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "hardware", "wiring", id + ".svg")), $"no wiring diagram for {id}");
        }

        Assert.Equal(gpio.GetProperty("StatusLedPin").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), table["status-led"]);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HomeSignal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository: HomeSignal.sln was not found above " + AppContext.BaseDirectory);
    }
}
