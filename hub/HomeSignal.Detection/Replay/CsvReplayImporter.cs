using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Detection.History;

namespace HomeSignal.Detection.Replay;

/// <summary>One rejected line of an imported file, with the reason in words.</summary>
public sealed record ImportProblem(string File, int Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

/// <summary>The result of an import: the sensor map, the good readings (time order), and every rejected line.</summary>
public sealed record ReplayImport(SensorMap Sensors, IReadOnlyList<SensorReading> Readings, IReadOnlyList<ImportProblem> Problems);

/// <summary>Reads recorded sensor events from CSV: an events file (<c>timestamp,sensor_id,state</c>) and a mapping file
/// (<c>sensor_id,kind,room[,purpose]</c>). A header line is recognised and skipped; blank lines and <c>#</c> comments
/// are ignored. Timestamps are ISO 8601; without an offset they are Europe/Amsterdam wall-clock time (a time in the
/// skipped spring hour is rejected, one in the repeated autumn hour is taken as its first occurrence). Bad rows are
/// reported with line number and reason; good rows are kept.</summary>
public static class CsvReplayImporter
{
    public static ReplayImport Import(string eventsPath, string mappingPath)
    {
        using var events = new StreamReader(eventsPath);
        using var mapping = new StreamReader(mappingPath);
        return Import(events, mapping, Path.GetFileName(eventsPath), Path.GetFileName(mappingPath));
    }

    public static ReplayImport Import(TextReader events, TextReader mapping, string eventsName = "events.csv", string mappingName = "sensors.csv")
    {
        var problems = new List<ImportProblem>();
        var sensors = ReadMapping(mapping, mappingName, problems);
        var readings = new List<SensorReading>();
        var seen = new HashSet<(DateTimeOffset, string, string)>();
        var lineNo = 0;
        while (events.ReadLine() is { } line)
        {
            lineNo++;
            var fields = Split(line);
            if (fields is null)
            {
                continue;
            }

            if (lineNo == 1 && fields[0].Equals("timestamp", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (fields.Length != 3)
            {
                problems.Add(new(eventsName, lineNo, $"expected 3 fields (timestamp, sensor id, state) but found {fields.Length}"));
                continue;
            }

            if (!TryParseTime(fields[0], out var ts, out var timeProblem))
            {
                problems.Add(new(eventsName, lineNo, timeProblem));
                continue;
            }

            var sensorId = fields[1];
            if (sensorId.Length == 0)
            {
                problems.Add(new(eventsName, lineNo, "the sensor id is empty"));
                continue;
            }

            if (sensors.Find(sensorId) is not { } sensor)
            {
                problems.Add(new(eventsName, lineNo, $"sensor '{sensorId}' is not in the mapping file"));
                continue;
            }

            var state = fields[2].ToLowerInvariant();
            if (!SensorStates.IsAllowed(sensor.Kind, state))
            {
                problems.Add(new(eventsName, lineNo,
                    $"state '{fields[2]}' is not valid for a {KindName(sensor.Kind)} sensor (expected {string.Join(" or ", SensorStates.AllowedFor(sensor.Kind))})"));
                continue;
            }

            if (!seen.Add((ts, sensorId, state)))
            {
                problems.Add(new(eventsName, lineNo, $"duplicate of an earlier row ({fields[0]}, {sensorId}, {state}); kept once"));
                continue;
            }

            readings.Add(new SensorReading(ts, sensorId, sensor.Kind, state));
        }

        if (lineNo == 0)
        {
            problems.Add(new(eventsName, 0, "the events file is empty"));
        }

        readings.Sort((a, b) => a.Ts.CompareTo(b.Ts));
        return new ReplayImport(sensors, readings, problems);
    }

    private static SensorMap ReadMapping(TextReader mapping, string name, List<ImportProblem> problems)
    {
        var sensors = new List<SensorAssignment>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNo = 0;
        while (mapping.ReadLine() is { } line)
        {
            lineNo++;
            var fields = Split(line);
            if (fields is null)
            {
                continue;
            }

            if (lineNo == 1 && fields[0].Equals("sensor_id", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (fields.Length is < 3 or > 4)
            {
                problems.Add(new(name, lineNo, $"expected 3 or 4 fields (sensor id, kind, room, purpose) but found {fields.Length}"));
                continue;
            }

            if (fields[0].Length == 0)
            {
                problems.Add(new(name, lineNo, "the sensor id is empty"));
                continue;
            }

            if (ParseKind(fields[1]) is not { } kind)
            {
                problems.Add(new(name, lineNo, $"unknown kind '{fields[1]}' (expected door, motion, mailbox-flap, mailbox-door or button)"));
                continue;
            }

            if (fields[2].Length == 0)
            {
                problems.Add(new(name, lineNo, $"sensor '{fields[0]}' has no room"));
                continue;
            }

            if (!ids.Add(fields[0]))
            {
                problems.Add(new(name, lineNo, $"sensor '{fields[0]}' is mapped twice; the first mapping is kept"));
                continue;
            }

            sensors.Add(new SensorAssignment(fields[0], kind, fields[2], fields.Length == 4 ? fields[3] : ""));
        }

        if (sensors.Count == 0)
        {
            problems.Add(new(name, 0, "the mapping file maps no sensor"));
        }

        return new SensorMap(sensors);
    }

    private static string[]? Split(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('#'))
        {
            return null;
        }

        return trimmed.Split(',').Select(f => f.Trim().Trim('"').Trim()).ToArray();
    }

    public static SensorKind? ParseKind(string value) => value.ToLowerInvariant() switch
    {
        "door" => SensorKind.Door,
        "motion" => SensorKind.Motion,
        "mailbox-flap" => SensorKind.MailboxFlap,
        "mailbox-door" => SensorKind.MailboxDoor,
        "button" => SensorKind.Button,
        _ => null,
    };

    private static string KindName(SensorKind kind) => kind switch
    {
        SensorKind.MailboxFlap => "mailbox-flap",
        SensorKind.MailboxDoor => "mailbox-door",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static bool TryParseTime(string text, out DateTimeOffset ts, out string problem)
    {
        ts = default;
        problem = "";
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z')
            || (text.Length > 6 && (text[^6] is '+' or '-') && text[^3] == ':');
        if (hasOffset)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out ts))
            {
                ts = ts.ToUniversalTime();
                return true;
            }

            problem = $"timestamp '{text}' is not an ISO 8601 time";
            return false;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) || text.Length < 10)
        {
            problem = $"timestamp '{text}' is not an ISO 8601 time";
            return false;
        }

        if (LocalClock.Amsterdam.IsInvalidTime(local))
        {
            problem = $"timestamp '{text}' does not exist in Europe/Amsterdam (the clock skips that hour when summer time starts)";
            return false;
        }

        var offset = LocalClock.Amsterdam.IsAmbiguousTime(local)
            ? LocalClock.Amsterdam.GetAmbiguousTimeOffsets(local).Max()
            : LocalClock.Amsterdam.GetUtcOffset(local);
        ts = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUniversalTime();
        return true;
    }
}
