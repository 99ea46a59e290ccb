using HomeSignal.Hub.Broker;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Zigbee;

/// <summary>
/// zigbee2mqtt's own MQTT account: it may publish and subscribe only under the base topic (never in the kit tree), and
/// the hub may read there. Inactive while Zigbee is disabled or no account is configured.
/// </summary>
public sealed class ZigbeeBrokerAccount(IOptions<ZigbeeOptions> options) : IBrokerClientAccount
{
    private ZigbeeOptions O => options.Value;

    public string Username => O.Enabled ? O.Username ?? string.Empty : string.Empty;

    public string PasswordHash => O.PasswordHash ?? string.Empty;

    public bool MayPublish(string topic) =>
        O.Enabled && topic is not null && topic.StartsWith(O.BaseTopic + "/", StringComparison.Ordinal) && topic.IndexOfAny(['+', '#']) < 0;

    /// <summary>zigbee2mqtt listens to its own requests (<c>{base}/bridge/request/…</c>, <c>{base}/+/set</c>): wildcards only inside the base topic.</summary>
    public bool MaySubscribe(string topicFilter) =>
        O.Enabled && topicFilter is not null && topicFilter.StartsWith(O.BaseTopic + "/", StringComparison.Ordinal);

    public IReadOnlyList<string> AclLines => O.Enabled ? [$"topic readwrite {O.BaseTopic}/#"] : [];

    public IReadOnlyList<string> HubAclLines => O.Enabled ? [$"topic read {O.BaseTopic}/#"] : [];
}
