using HomeSignal.Contracts.Payloads;
using HomeSignal.Detection.History;

namespace HomeSignal.Detection.Tests.Homes;

/// <summary>A small handcrafted home: five PIRs, a front door and a post box, and a scriptable routine written in local
/// Amsterdam wall-clock time, so histories in the tests read like a diary.</summary>
public sealed class TestHome
{
    public const string Bedroom = "pir-bed";
    public const string Bathroom = "pir-bath";
    public const string Living = "pir-living";
    public const string Kitchen = "pir-kitchen";
    public const string Hall = "pir-hall";
    public const string FrontDoor = "door-front";
    public const string Flap = "mail-flap";
    public const string MailDoor = "mail-door";

    public static SensorMap Sensors { get; } = new(
    [
        new SensorAssignment(Bedroom, SensorKind.Motion, "bedroom", "presence"),
        new SensorAssignment(Bathroom, SensorKind.Motion, "bathroom", "presence"),
        new SensorAssignment(Living, SensorKind.Motion, "living room", "presence"),
        new SensorAssignment(Kitchen, SensorKind.Motion, "kitchen", "presence"),
        new SensorAssignment(Hall, SensorKind.Motion, "hall", "presence"),
        new SensorAssignment(FrontDoor, SensorKind.Door, "hall", "front-door"),
        new SensorAssignment(Flap, SensorKind.MailboxFlap, "hall", "mailbox-flap"),
        new SensorAssignment(MailDoor, SensorKind.MailboxDoor, "hall", "mailbox-door"),
    ]);

    public List<SensorReading> Readings { get; } = [];

    public static DateTimeOffset At(DateOnly date, int hour, int minute = 0) => LocalClock.At(date, hour * 60 + minute);

    public TestHome Motion(DateTimeOffset t, string sensor)
    {
        Readings.Add(new SensorReading(t, sensor, SensorKind.Motion, SensorStates.Active));
        return this;
    }

    public TestHome Door(DateTimeOffset t, bool open)
    {
        Readings.Add(new SensorReading(t, FrontDoor, SensorKind.Door, open ? SensorStates.Open : SensorStates.Closed));
        return this;
    }

    /// <summary>Activity between two local times: a motion every <paramref name="everyMinutes"/> cycling through rooms.</summary>
    public TestHome Active(DateOnly date, int fromMinute, int toMinute, int everyMinutes = 6, string[]? rooms = null, string? skip = null)
    {
        rooms ??= [Living, Kitchen, Living, Hall, Bathroom, Living];
        var i = 0;
        for (var m = fromMinute; m < toMinute; m += everyMinutes, i++)
        {
            var room = rooms[i % rooms.Length];
            if (room != skip)
            {
                Motion(LocalClock.At(date, m), room);
            }
        }

        return this;
    }

    /// <summary>An outing: hall, door open/closed, away, door open/closed, hall.</summary>
    public TestHome Outing(DateOnly date, int fromMinute, int toMinute)
    {
        Motion(LocalClock.At(date, fromMinute - 1), Hall);
        Door(LocalClock.At(date, fromMinute), true);
        Door(LocalClock.At(date, fromMinute).AddSeconds(20), false);
        Door(LocalClock.At(date, toMinute), true);
        Door(LocalClock.At(date, toMinute).AddSeconds(20), false);
        Motion(LocalClock.At(date, toMinute).AddSeconds(40), Hall);
        return this;
    }

    /// <summary>An ordinary day: up at <paramref name="wakeMinute"/>, active with one outing, post on Tuesday–Saturday,
    /// in bed at 22:30, and a night toilet visit on odd days.</summary>
    public TestHome NormalDay(DateOnly date, int wakeMinute = 420, bool outing = true, bool post = true, string? deadSensor = null)
    {
        if (date.Day % 2 == 1)
        {
            Motion(LocalClock.At(date, 180), Bedroom).Motion(LocalClock.At(date, 182), Bathroom).Motion(LocalClock.At(date, 186), Bedroom);
        }

        Motion(LocalClock.At(date, wakeMinute), Bedroom);
        Active(date, wakeMinute + 3, 600, skip: deadSensor);
        if (outing)
        {
            Outing(date, 600, 660);
        }

        Active(date, outing ? 662 : 600, 1350, skip: deadSensor);
        if (post && date.DayOfWeek is not (DayOfWeek.Sunday or DayOfWeek.Monday))
        {
            Readings.Add(new SensorReading(LocalClock.At(date, 690), Flap, SensorKind.MailboxFlap, SensorStates.Open));
            Readings.Add(new SensorReading(LocalClock.At(date, 690).AddSeconds(2), Flap, SensorKind.MailboxFlap, SensorStates.Closed));
            Readings.Add(new SensorReading(LocalClock.At(date, 720), MailDoor, SensorKind.MailboxDoor, SensorStates.Open));
            Readings.Add(new SensorReading(LocalClock.At(date, 720).AddSeconds(30), MailDoor, SensorKind.MailboxDoor, SensorStates.Closed));
        }

        Motion(LocalClock.At(date, 1352), Bedroom);
        return this;
    }

    public TestHome NormalDays(DateOnly first, int count, int wakeMinute = 420)
    {
        for (var i = 0; i < count; i++)
        {
            NormalDay(first.AddDays(i), wakeMinute + (i % 5) * 6 - 12);
        }

        return this;
    }
}
