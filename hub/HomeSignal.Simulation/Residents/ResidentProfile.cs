namespace HomeSignal.Simulation.Residents;

/// <summary>
/// One resident's habits, drawn from a seed and calibrated on the figures in design/detection.md. Times of day are local
/// (Europe/Amsterdam) annual means; the simulator adds the seasonal drift and day-to-day spread.
/// </summary>
public sealed record ResidentProfile
{
    /// <summary>The seed the profile was drawn from (0 for hand-made profiles).</summary>
    public int Seed { get; init; }

    /// <summary>Annual mean wake time (population ~07:00, spread between people ~0.55 h).</summary>
    public TimeSpan WakeTime { get; init; } = TimeSpan.FromHours(7);

    /// <summary>Day-to-day spread of the wake time, in hours.</summary>
    public double WakeSpreadHours { get; init; } = 0.7;

    /// <summary>Hours between rising and going to bed on an ordinary day (annual mean).</summary>
    public double AwakeHours { get; init; } = 15.5;

    /// <summary>Mean outings per day over the year (population ~1.9); halved in Nov–Mar relative to summer.</summary>
    public double OutingsPerDay { get; init; } = 1.9;

    /// <summary>Median length of an ordinary outing.</summary>
    public TimeSpan OutingMedian { get; init; } = TimeSpan.FromMinutes(80);

    /// <summary>Local time post is usually delivered at this address (post comes Tuesday–Saturday, never Sunday or Monday).</summary>
    public TimeSpan PostTime { get; init; } = TimeSpan.FromHours(11.5);

    /// <summary>Chance that there is post on a delivery day.</summary>
    public double PostChance { get; init; } = 0.85;

    /// <summary>Mean delay between delivery (or coming home) and collecting the post.</summary>
    public TimeSpan PostCollectionDelay { get; init; } = TimeSpan.FromMinutes(45);

    /// <summary>Mean night toilet visits (population ~0.7, never more than 3 a night).</summary>
    public double NightVisitsPerNight { get; init; } = 0.7;

    /// <summary>Movements in bed a bedroom sensor sees per hour of sleep.</summary>
    public double SleepMovementsPerHour { get; init; } = 0.5;

    /// <summary>How lively the resident moves about: scales motion periods and room changes (1 = typical).</summary>
    public double Mobility { get; init; } = 1.0;

    public double VisitorsPerWeek { get; init; } = 2.0;

    /// <summary>Chance of an afternoon nap (30–90 min, hardly moving) on a day at home.</summary>
    public double NapChance { get; init; } = 0.3;

    public double HolidaysPerYear { get; init; } = 1.0;

    public double HospitalStaysPerYear { get; init; } = 0.2;

    /// <summary>Weekdays on which the resident goes to day care (dagbesteding), 09:30–15:30.</summary>
    public IReadOnlyList<DayOfWeek> DayCareDays { get; init; } = [];

    /// <summary>Rooms that have a motion sensor.</summary>
    public IReadOnlyList<Room> Rooms { get; init; } = [Room.Hall, Room.Living, Room.Kitchen, Room.Bathroom, Room.Bedroom];

    /// <summary>Post is delivered on these days (Dutch post: Tuesday to Saturday).</summary>
    public static IReadOnlyList<DayOfWeek> PostDays { get; } =
        [DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday];

    public bool HasSensorIn(Room room) => Rooms.Contains(room);

    /// <summary>Draws a plausible resident; the same seed always gives the same profile.</summary>
    public static ResidentProfile Draw(int seed)
    {
        var rng = new Random(Seeds.Mix(seed, 0x5eed));
        var rooms = new List<Room> { Room.Living, Room.Bathroom, Room.Bedroom };
        if (rng.NextDouble() < 0.85)
        {
            rooms.Insert(0, Room.Hall);
        }

        if (rng.NextDouble() < 0.9)
        {
            rooms.Insert(rooms.IndexOf(Room.Living) + 1, Room.Kitchen);
        }

        var dayCare = new List<DayOfWeek>();
        if (rng.NextDouble() < 0.2)
        {
            var first = (DayOfWeek)(1 + rng.Next(5));
            dayCare.Add(first);
            if (rng.NextDouble() < 0.4)
            {
                var second = (DayOfWeek)(1 + ((int)first + 1 + rng.Next(3)) % 5);
                if (second != first)
                {
                    dayCare.Add(second);
                }
            }

            dayCare.Sort();
        }

        return new ResidentProfile
        {
            Seed = seed,
            WakeTime = TimeSpan.FromHours(Math.Clamp(7.0 + 0.55 * Gaussian(rng), 5.25, 9.0)),
            WakeSpreadHours = 0.6 + 0.2 * rng.NextDouble(),
            AwakeHours = 15.0 + 1.2 * rng.NextDouble(),
            OutingsPerDay = Math.Clamp(1.9 * Math.Exp(0.2 * Gaussian(rng) - 0.02), 1.1, 3.0),
            OutingMedian = TimeSpan.FromMinutes(55 + 60 * rng.NextDouble()),
            PostTime = TimeSpan.FromHours(10 + 5.5 * rng.NextDouble()),
            PostChance = 0.75 + 0.2 * rng.NextDouble(),
            PostCollectionDelay = TimeSpan.FromMinutes(15 + 90 * rng.NextDouble()),
            NightVisitsPerNight = Math.Clamp(0.7 * Math.Exp(0.2 * Gaussian(rng) - 0.02), 0.3, 1.4),
            SleepMovementsPerHour = 0.3 + 0.9 * rng.NextDouble(),
            Mobility = 0.8 + 0.4 * rng.NextDouble(),
            VisitorsPerWeek = 0.5 + 3.5 * rng.NextDouble(),
            NapChance = 0.7 * rng.NextDouble(),
            HolidaysPerYear = rng.NextDouble() < 0.3 ? 0 : 1 + rng.Next(2),
            HospitalStaysPerYear = 0.1 + 0.3 * rng.NextDouble(),
            DayCareDays = dayCare,
            Rooms = rooms,
        };
    }

    internal static double Gaussian(Random rng)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm finite.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
