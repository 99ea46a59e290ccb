using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Storage;

public enum StorageProvider
{
    Sqlite,
    Influx,
}

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions : IValidatedOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Event data (raw events and aggregates).</summary>
    public string SqlitePath { get; set; } = "data/events.db";

    /// <summary>The registry: residents' personal details, consent, kits, signals — a separate file from events.</summary>
    public string RegistryPath { get; set; } = "data/registry.db";

    /// <summary>Raw events older than this are deleted.</summary>
    public int RawRetentionDays { get; set; } = 90;

    /// <summary>Hourly and daily aggregates are kept longer, for slow-decline trends.</summary>
    public int AggregateRetentionDays { get; set; } = 730;

    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(6);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(SqlitePath) || string.IsNullOrWhiteSpace(RegistryPath))
        {
            yield return "Storage:SqlitePath and Storage:RegistryPath are required.";
        }
        else if (string.Equals(Path.GetFullPath(SqlitePath), Path.GetFullPath(RegistryPath), StringComparison.Ordinal))
        {
            yield return "Storage:RegistryPath must differ from Storage:SqlitePath: personal details are kept apart from events.";
        }

        if (RawRetentionDays < 1)
        {
            yield return "Storage:RawRetentionDays must be at least 1.";
        }

        if (AggregateRetentionDays < RawRetentionDays)
        {
            yield return "Storage:AggregateRetentionDays must be at least Storage:RawRetentionDays.";
        }

        if (RetentionInterval <= TimeSpan.Zero)
        {
            yield return "Storage:RetentionInterval must be positive.";
        }
    }
}
