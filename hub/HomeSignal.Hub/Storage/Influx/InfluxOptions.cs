using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Storage.Influx;

/// <summary>Configuration section <c>Storage:Influx</c>: where InfluxDB is and how the hub writes to it.</summary>
public sealed class InfluxOptions
{
    public const string SectionName = "Storage:Influx";

    /// <summary>Base URL of InfluxDB's HTTP API (the v1-compatible <c>/write</c> and <c>/query</c> endpoints).</summary>
    public Uri Url { get; set; } = new("http://127.0.0.1:8086");

    /// <summary>Hosts <see cref="Url"/> may point at; anything else is refused on start (events are personal data).</summary>
    public IList<string> AllowedHosts { get; } = ["127.0.0.1", "localhost", "::1"];

    public string Database { get; set; } = "homesignal";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Create the database and retention policies on start (off when an operator manages them).</summary>
    public bool CreateDatabase { get; set; } = true;

    /// <summary>Most points per HTTP write; InfluxDB recommends 5,000–10,000.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>How long a writer waits for more points before writing a batch that is not full (0 = write what is there).</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Points waiting for a writer; when full, callers wait (back-pressure reaches the MQTT consumer).</summary>
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>Concurrent HTTP writes (one batch is building while another is being fsynced).</summary>
    public int Writers { get; set; } = 2;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Duration of the raw retention policy (events and quarantined events). The hub's retention worker deletes
    /// exactly at its own cut-off; this policy is the safety net, so keep it at least as long as Storage:RawRetentionDays.
    /// </summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Duration of the aggregates retention policy (hourly and daily activity); at least Storage:AggregateRetentionDays.</summary>
    public TimeSpan AggregateRetention { get; set; } = TimeSpan.FromDays(730);
}

/// <summary>Checks <see cref="InfluxOptions"/> on start; every message names the configuration key.</summary>
public sealed partial class InfluxOptionsValidator : IValidateOptions<InfluxOptions>
{
    public ValidateOptionsResult Validate(string? name, InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var s = InfluxOptions.SectionName;

        if (options.Url is null || !options.Url.IsAbsoluteUri || options.Url.Scheme is not ("http" or "https"))
        {
            errors.Add($"{s}:Url must be an absolute http or https URL (was '{options.Url}').");
        }
        else if (!options.AllowedHosts.Contains(options.Url.IdnHost.Trim('[', ']'), StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{s}:Url host '{options.Url.Host}' is not in {s}:AllowedHosts ({string.Join(", ", options.AllowedHosts)}).");
        }

        if (options.Database is null || !DatabaseName().IsMatch(options.Database))
        {
            errors.Add($"{s}:Database must be 1–64 letters, digits, '_' or '-' (was '{options.Database}').");
        }

        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            errors.Add($"{s}:Username and {s}:Password must be set together.");
        }

        if (options.BatchSize is < 1 or > 50_000)
        {
            errors.Add($"{s}:BatchSize must be between 1 and 50000 (was {options.BatchSize}).");
        }

        if (options.QueueCapacity < options.BatchSize || options.QueueCapacity > 10_000_000)
        {
            errors.Add($"{s}:QueueCapacity must be at least {s}:BatchSize and at most 10000000 (was {options.QueueCapacity}).");
        }

        if (options.Writers is < 1 or > 16)
        {
            errors.Add($"{s}:Writers must be between 1 and 16 (was {options.Writers}).");
        }

        Positive(errors, options.RequestTimeout, $"{s}:RequestTimeout");
        Positive(errors, options.RetryInitialDelay, $"{s}:RetryInitialDelay");
        if (options.RetryMaxDelay < options.RetryInitialDelay)
        {
            errors.Add($"{s}:RetryMaxDelay must be at least {s}:RetryInitialDelay.");
        }

        if (options.BatchDelay < TimeSpan.Zero || options.BatchDelay > TimeSpan.FromSeconds(5))
        {
            errors.Add($"{s}:BatchDelay must be between 0 and 5 seconds (was {options.BatchDelay}).");
        }

        // InfluxDB refuses retention policies shorter than one hour.
        if (options.RawRetention < TimeSpan.FromHours(1))
        {
            errors.Add($"{s}:RawRetention must be at least one hour (was {options.RawRetention}).");
        }

        if (options.AggregateRetention <= options.RawRetention)
        {
            errors.Add($"{s}:AggregateRetention must be longer than {s}:RawRetention.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be positive (was {value}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex DatabaseName();
}
