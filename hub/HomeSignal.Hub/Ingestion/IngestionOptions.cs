using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Ingestion;

/// <summary>Configuration section <c>Ingestion</c>.</summary>
public sealed class IngestionOptions : IValidatedOptions
{
    public const string Section = "Ingestion";

    /// <summary>Most events written in one SQLite transaction (and acknowledged together).</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// Under sustained load (the last batch held at least <see cref="CommitLingerAfter"/> events), how long the writer
    /// lets events gather before taking the next batch: each durable commit (WAL write and fsync) costs as much CPU as
    /// dozens of inserts, so fewer, fuller commits leave the CPU to receiving. Light load never waits. Zero disables it.
    /// 20 ms: about 500 events per commit at 25,000 events/s on a 2-core machine; acks wait at most that much longer.
    /// </summary>
    public TimeSpan CommitLinger { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Batch size from which the writer considers the hub under sustained load (see <see cref="CommitLinger"/>).</summary>
    public int CommitLingerAfter { get; set; } = 32;

    /// <summary>
    /// Under sustained load, how often at most a kit is sent a HubAck: everything of it that became durable meanwhile
    /// goes in one. With 1,000 kits, a HubAck per kit per commit would be nearly one extra message per event through the
    /// broker. A kit not told anything within this time is told at once, and when the hub has nothing more in hand
    /// every kit is told at once, so light load never waits. Zero sends a HubAck per kit after every commit. A second
    /// is short against a kit's <c>Mqtt:AckTimeoutSeconds</c> (30) and took about a tenth less CPU than 250 ms in
    /// the <c>ingest-influx</c> bench (hub, kits, influxd and broker together).
    /// </summary>
    public TimeSpan AckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A kit with this many durable events not yet told is told without waiting for <see cref="AckInterval"/> (kits stop sending at their <c>Mqtt:MaxInFlight</c>, 200 by default).</summary>
    public int AckAfterEvents { get; set; } = 50;

    /// <summary>Events waiting for the writer; when full, the hub stops taking messages from the broker.</summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Events whose kit time is further in the past than this (before receipt) are quarantined.</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Events whose kit time is further ahead of the hub's clock than this are quarantined.</summary>
    public TimeSpan MaxClockAhead { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wait between retries when the store fails (events stay unacknowledged meanwhile).</summary>
    public TimeSpan StoreRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At shutdown, how long to finish storing and acknowledging what was taken before disconnecting.</summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Validate()
    {
        if (ShutdownDrainTimeout < TimeSpan.Zero || ShutdownDrainTimeout > TimeSpan.FromMinutes(5))
        {
            yield return "Ingestion:ShutdownDrainTimeout must be 00:00:00–00:05:00.";
        }

        if (BatchSize is < 1 or > 100_000)
        {
            yield return "Ingestion:BatchSize must be 1–100000.";
        }

        if (QueueCapacity < BatchSize)
        {
            yield return "Ingestion:QueueCapacity must be at least Ingestion:BatchSize.";
        }

        if (MaxEventAge < TimeSpan.FromHours(1))
        {
            yield return "Ingestion:MaxEventAge must be at least 01:00:00 (kits replay their outbox after an outage).";
        }

        if (MaxClockAhead < TimeSpan.Zero)
        {
            yield return "Ingestion:MaxClockAhead cannot be negative.";
        }

        if (CommitLinger < TimeSpan.Zero || CommitLinger > TimeSpan.FromSeconds(1))
        {
            yield return "Ingestion:CommitLinger must be 00:00:00–00:00:01.";
        }

        if (AckInterval < TimeSpan.Zero || AckInterval > TimeSpan.FromSeconds(5))
        {
            yield return "Ingestion:AckInterval must be 00:00:00–00:00:05 (kits resend what is not acknowledged after Mqtt:AckTimeoutSeconds).";
        }

        if (AckAfterEvents < 1)
        {
            yield return "Ingestion:AckAfterEvents must be at least 1.";
        }

        if (CommitLingerAfter < 1)
        {
            yield return "Ingestion:CommitLingerAfter must be at least 1.";
        }

        if (StoreRetryInterval <= TimeSpan.Zero)
        {
            yield return "Ingestion:StoreRetryInterval must be positive.";
        }
    }
}
