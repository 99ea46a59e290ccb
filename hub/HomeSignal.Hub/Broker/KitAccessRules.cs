using HomeSignal.Contracts.Topics;

namespace HomeSignal.Hub.Broker;

/// <summary>
/// Deny-by-default topic rules for a kit: it may write only its own events, status and heartbeat, and read only its own
/// acks, config and commands. Used by the embedded broker and written out as mosquitto's ACL file.
/// </summary>
public static class KitAccessRules
{
    public static readonly IReadOnlyList<KitChannel> KitWrites = [KitChannel.Events, KitChannel.Status, KitChannel.Heartbeat];

    public static readonly IReadOnlyList<KitChannel> KitReads = [KitChannel.Acks, KitChannel.Config, KitChannel.Commands];

    public static bool MayPublish(string kitId, string topic) =>
        KitTopics.TryParse(topic, out var topicKit, out var channel)
        && string.Equals(topicKit, kitId, StringComparison.Ordinal)
        && KitWrites.Contains(channel);

    /// <summary>Only exact topics (no wildcards, no shared groups): a kit cannot listen to anything but its own inbox.</summary>
    public static bool MaySubscribe(string kitId, string topicFilter) =>
        KitTopics.TryParse(topicFilter, out var topicKit, out var channel)
        && string.Equals(topicKit, kitId, StringComparison.Ordinal)
        && KitReads.Contains(channel);
}
