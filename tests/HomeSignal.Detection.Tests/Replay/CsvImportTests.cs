using HomeSignal.Detection.Replay;

namespace HomeSignal.Detection.Tests.Replay;

public class CsvImportTests
{
    private const string Mapping = """
        sensor_id,kind,room,purpose
        pir-1,motion,living room,presence
        door-1,door,hall,front-door
        flap-1,mailbox-flap,entrance
        """;

    private static ReplayImport Import(string events, string mapping = Mapping) =>
        CsvReplayImporter.Import(new StringReader(events), new StringReader(mapping));

    [Fact]
    public void Good_rows_are_kept_in_time_order_and_local_times_become_UTC()
    {
        var import = Import("""
            timestamp,sensor_id,state
            2025-06-03T08:00:00+02:00,pir-1,active
            2025-06-03 07:00:00,door-1,open
            2025-06-03T05:30:00Z,door-1,closed
            """);

        Assert.Empty(import.Problems);
        Assert.Equal(3, import.Readings.Count);
        Assert.Equal(new DateTimeOffset(2025, 6, 3, 5, 0, 0, TimeSpan.Zero), import.Readings[0].Ts);
        Assert.Equal(["door-1", "door-1", "pir-1"], import.Readings.Select(r => r.SensorId));
    }

    [Fact]
    public void Bad_rows_are_reported_with_line_and_reason_and_good_rows_are_kept()
    {
        var import = Import("""
            timestamp,sensor_id,state
            2025-06-03T08:00:00+02:00,pir-1,active
            not-a-time,pir-1,active
            2025-06-03T08:01:00+02:00,pir-9,active
            2025-06-03T08:02:00+02:00,door-1,active
            2025-06-03T08:03:00+02:00,pir-1
            2025-06-03T08:00:00+02:00,pir-1,active
            2025-03-30 02:30:00,pir-1,active
            2025-06-03T08:04:00+02:00,,active
            # a comment
            2025-06-03T08:05:00+02:00,flap-1,OPEN
            """);

        Assert.Equal(2, import.Readings.Count);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], import.Problems.Select(p => p.Line));
        Assert.Contains("not an ISO 8601 time", import.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("'pir-9' is not in the mapping file", import.Problems[1].Reason, StringComparison.Ordinal);
        Assert.Contains("not valid for a door sensor", import.Problems[2].Reason, StringComparison.Ordinal);
        Assert.Contains("expected 3 fields", import.Problems[3].Reason, StringComparison.Ordinal);
        Assert.Contains("duplicate", import.Problems[4].Reason, StringComparison.Ordinal);
        Assert.Contains("does not exist in Europe/Amsterdam", import.Problems[5].Reason, StringComparison.Ordinal);
        Assert.Contains("sensor id is empty", import.Problems[6].Reason, StringComparison.Ordinal);
        Assert.Equal("events.csv:3: timestamp 'not-a-time' is not an ISO 8601 time", import.Problems[0].ToString());
    }

    [Fact]
    public void A_bad_mapping_file_is_reported_and_its_good_sensors_are_kept()
    {
        var import = Import("2025-06-03T08:00:00+02:00,pir-1,active", """
            pir-1,motion,living room
            pir-2,teleporter,attic
            pir-1,motion,kitchen
            pir-3,motion,
            pir-4
            """);

        Assert.Single(import.Readings);
        Assert.Equal([2, 3, 4, 5], import.Problems.Select(p => p.Line));
        Assert.All(import.Problems, p => Assert.Equal("sensors.csv", p.File));
        Assert.Contains("unknown kind 'teleporter'", import.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("mapped twice", import.Problems[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_files_are_reported_not_crashed_on()
    {
        var import = Import("", "");

        Assert.Empty(import.Readings);
        Assert.Equal(2, import.Problems.Count);
    }

    [Fact]
    public void The_import_command_prints_rejected_rows_and_the_signals_of_the_replayed_history()
    {
        var dir = Directory.CreateTempSubdirectory("homesignal-import-");
        try
        {
            var start = new DateOnly(2025, 5, 5);
            var home = new TestHome().NormalDays(start, 30);
            var lines = new List<string> { "timestamp,sensor_id,state", "yesterday,pir-living,active" };
            lines.AddRange(home.Readings.Select(r => $"{r.Ts:yyyy-MM-ddTHH:mm:ssZ},{r.SensorId},{r.State}"));
            // The resident does not get up on the last day: only a movement in bed at 06:00.
            lines.Add($"{TestHome.At(start.AddDays(30), 6):yyyy-MM-ddTHH:mm:ssZ},{TestHome.Bedroom},active");
            File.WriteAllLines(Path.Combine(dir.FullName, "events.csv"), lines);
            File.WriteAllLines(Path.Combine(dir.FullName, "sensors.csv"), TestHome.Sensors.All.Select(s => $"{s.SensorId},{Kind(s.Kind)},{s.Room},{s.Purpose}"));
            var output = new StringWriter();

            var code = HomeSignal.Evaluation.Program.Run(["import", "--events", Path.Combine(dir.FullName, "events.csv"), "--map", Path.Combine(dir.FullName, "sensors.csv")], output, new StringWriter());

            Assert.Equal(0, code);
            var text = output.ToString();
            Assert.Contains("1 rows rejected", text, StringComparison.Ordinal);
            Assert.Contains("events.csv:2: timestamp 'yesterday'", text, StringComparison.Ordinal);
            Assert.Contains("not-up", text, StringComparison.Ordinal);
            Assert.Contains("vraag:", text, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Kind(HomeSignal.Contracts.Payloads.SensorKind kind) => kind switch
    {
        HomeSignal.Contracts.Payloads.SensorKind.MailboxFlap => "mailbox-flap",
        HomeSignal.Contracts.Payloads.SensorKind.MailboxDoor => "mailbox-door",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
