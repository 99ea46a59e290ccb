namespace HomeSignal.Simulation;

/// <summary>
/// Derives independent, stable seeds for the simulator's random streams, so that one day's draws never depend on how
/// many numbers an earlier day used: a pattern injected on day 20 leaves day 21's routine as it was.
/// </summary>
internal static class Seeds
{
    public static int Mix(int seed, long a, long b = 0)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)a * 0xBF58476D1CE4E5B9UL ^ (ulong)b * 0x94D049BB133111EBUL);
        x ^= x >> 30;
        x = unchecked(x * 0xBF58476D1CE4E5B9UL);
        x ^= x >> 27;
        x = unchecked(x * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (int)(x & 0x7FFFFFFF);
    }

    /// <summary>A random stream for one local day of one scenario.</summary>
    public static Random ForDay(int seed, DateOnly date, int stream) => new(Mix(seed, date.DayNumber, stream));

    /// <summary>32 lower-case hex characters, as a kit's boot id.</summary>
    public static string BootId(Random rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}

/// <summary>Indices of the independent random streams per day.</summary>
internal static class Streams
{
    public const int Wake = 1;
    public const int Day = 2;
    public const int Render = 3;
    public const int Faults = 4;
    public const int Life = 5;
    public const int Kit = 6;
}
