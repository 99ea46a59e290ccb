using HomeSignal.Hub.Ingestion;

namespace HomeSignal.Hub.Tests.Ingestion;

public sealed class IngestionOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(new IngestionOptions().Validate());

    [Fact]
    public void Ack_pacing_beyond_what_kits_tolerate_is_refused_with_the_setting_named()
    {
        var errors = new IngestionOptions { AckInterval = TimeSpan.FromSeconds(30), AckAfterEvents = 0 }.Validate().ToList();

        Assert.Contains(errors, e => e.StartsWith("Ingestion:AckInterval", StringComparison.Ordinal) && e.Contains("Mqtt:AckTimeoutSeconds", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ingestion:AckAfterEvents", StringComparison.Ordinal));
        Assert.Contains(new IngestionOptions { AckInterval = TimeSpan.FromMilliseconds(-1) }.Validate(), e => e.StartsWith("Ingestion:AckInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void Batches_larger_than_the_queue_and_negative_lingers_are_refused()
    {
        var errors = new IngestionOptions { BatchSize = 5000, QueueCapacity = 100, CommitLinger = TimeSpan.FromSeconds(-1) }.Validate().ToList();

        Assert.Contains(errors, e => e.StartsWith("Ingestion:QueueCapacity", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ingestion:CommitLinger", StringComparison.Ordinal));
    }
}
