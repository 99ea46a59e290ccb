using System.Diagnostics.CodeAnalysis;

namespace HomeSignal.Contracts.Topics;

/// <summary>The channels of one kit under <c>homesignal/v1/kits/{kitId}/</c>.</summary>
public enum KitChannel
{
    /// <summary>Kit to hub: sensor and kit events, QoS 1, acknowledged by the hub on <see cref="Acks"/>.</summary>
    Events,
    /// <summary>Kit to hub: retained online/offline status; the offline variant is the kit's last will.</summary>
    Status,
    /// <summary>Kit to hub: periodic health.</summary>
    Heartbeat,
    /// <summary>Hub to kit: application acknowledgements, sent only after the hub's durable write.</summary>
    Acks,
    /// <summary>Hub to kit: retained configuration.</summary>
    Config,
    /// <summary>Hub to kit: one-off commands.</summary>
    Commands,
}

/// <summary>Builds and parses the versioned topic tree. Kit ids are pseudonymous and never contain wildcards.</summary>
public static class KitTopics
{
    public const string Root = "homesignal/v1/kits";

    /// <summary>Shared-subscription group several hub instances use to split the kits' events between them.</summary>
    public const string HubShareGroup = "hubs";

    public static string For(string kitId, KitChannel channel) => $"{Root}/{kitId}/{Segment(channel)}";

    /// <summary>Filter matching one channel of every kit, e.g. <c>homesignal/v1/kits/+/events</c>.</summary>
    public static string AllKits(KitChannel channel) => $"{Root}/+/{Segment(channel)}";

    /// <summary>Same as <see cref="AllKits"/> but as an MQTT 5 shared subscription, so hub instances share the load.</summary>
    public static string SharedAllKits(KitChannel channel, string group = HubShareGroup) =>
        $"$share/{group}/{AllKits(channel)}";

    public static bool TryParse(string topic, [NotNullWhen(true)] out string? kitId, out KitChannel channel)
    {
        kitId = null;
        channel = default;
        if (topic is null || !topic.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic.AsSpan(Root.Length + 1);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/'))
        {
            return false;
        }

        var id = rest[..slash].ToString();
        if (!KitId.IsValid(id) || !TryParseSegment(rest[(slash + 1)..], out channel))
        {
            return false;
        }

        kitId = id;
        return true;
    }

    public static string Segment(KitChannel channel) => channel switch
    {
        KitChannel.Events => "events",
        KitChannel.Status => "status",
        KitChannel.Heartbeat => "heartbeat",
        KitChannel.Acks => "acks",
        KitChannel.Config => "config",
        KitChannel.Commands => "commands",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown kit channel."),
    };

    private static bool TryParseSegment(ReadOnlySpan<char> segment, out KitChannel channel)
    {
        foreach (var candidate in Enum.GetValues<KitChannel>())
        {
            if (segment.SequenceEqual(Segment(candidate)))
            {
                channel = candidate;
                return true;
            }
        }

        channel = default;
        return false;
    }
}

/// <summary>Rules for pseudonymous identifiers used in topics and payloads.</summary>
public static class KitId
{
    public const int MaxLength = 64;

    /// <summary>Lower-case letters, digits and dashes, 3–64 long, starting with a letter or digit: no names, no wildcards, no slashes.</summary>
    public static bool IsValid(string? value) => IsToken(value, 3, MaxLength);

    /// <summary>Sensor ids follow the same rule (1–64 long), e.g. <c>door-front</c>.</summary>
    public static bool IsValidSensorId(string? value) => IsToken(value, 1, MaxLength);

    private static bool IsToken(string? value, int min, int max)
    {
        if (value is null || value.Length < min || value.Length > max || value[0] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
