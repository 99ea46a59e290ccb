using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Detection.History;
using HomeSignal.Simulation.Kits;
using HomeSignal.Simulation.Residents;

namespace HomeSignal.Detection.Tests.Simulation;

/// <summary>A simulated home is registered like a real kit: the edge's default sensor ids, Dutch rooms and purposes.</summary>
public sealed class SensorLayoutTests
{
    [Fact]
    public void Simulated_sensors_have_the_ids_rooms_and_purposes_of_the_real_kits_defaults()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "edge", "HomeSignal.Edge", "appsettings.json")));
        var edge = json.RootElement.GetProperty("Gpio").GetProperty("Sensors").EnumerateArray()
            .ToDictionary(s => s.GetProperty("Id").GetString()!, s => (Room: s.GetProperty("Room").GetString(), Purpose: s.GetProperty("Purpose").GetString()), StringComparer.Ordinal);
        var layouts = Enumerable.Range(1, 40).Select(seed => SensorLayout.For(ResidentProfile.Draw(seed))).ToList();

        var shared = layouts.SelectMany(l => l).Where(s => edge.ContainsKey(s.SensorId)).ToList();
        Assert.Equal(
            ["door-front", "mailbox-door", "mailbox-flap", "motion-bedroom", "motion-kitchen", "motion-living"],
            shared.Select(s => s.SensorId).Distinct().Order(StringComparer.Ordinal));
        Assert.All(shared, s => Assert.Equal(edge[s.SensorId], (s.Room, s.Purpose)));
    }

    [Fact]
    public void Every_simulated_room_has_a_Dutch_name_and_the_sensors_a_rule_needs_are_recognised()
    {
        Assert.Equal(["gang", "woonkamer", "keuken", "badkamer", "slaapkamer"], Enum.GetValues<Room>().Select(SensorLayout.RoomName));
        var layout = SensorLayout.For(ResidentProfile.Draw(1));

        // Detection recognises the front door by its purpose and the bedroom by its room: the Dutch words must still say so.
        Assert.Single(layout, s => s.IsFrontDoor);
        Assert.Equal("motion-bedroom", Assert.Single(layout, s => s.IsBedroom).SensorId);
        Assert.Equal(layout.Count, layout.Select(s => s.SensorId).Distinct().Count());
        Assert.All(layout.Where(s => s.Kind == SensorKind.Motion), s => Assert.False(string.IsNullOrWhiteSpace(s.Purpose)));
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
