namespace HomeSignal.Hub.Broker;

/// <summary>
/// An MQTT account that is neither the hub nor a kit (e.g. a zigbee2mqtt bridge): its own credentials and its own
/// deny-by-default topic rules, applied by the embedded broker and written into mosquitto's password and ACL files.
/// </summary>
public interface IBrokerClientAccount
{
    /// <summary>Empty when the account is not in use (its <see cref="HubAclLines"/> still apply).</summary>
    string Username { get; }

    /// <summary>The password hash in mosquitto's <c>$7$</c> format.</summary>
    string PasswordHash { get; }

    bool MayPublish(string topic);

    bool MaySubscribe(string topicFilter);

    /// <summary>This account's mosquitto ACL lines (e.g. <c>topic readwrite zigbee2mqtt/#</c>).</summary>
    IReadOnlyList<string> AclLines { get; }

    /// <summary>Extra mosquitto ACL lines for the hub's own account (what the hub must read from this client).</summary>
    IReadOnlyList<string> HubAclLines { get; }
}
