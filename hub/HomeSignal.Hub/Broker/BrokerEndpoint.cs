using System.Security.Cryptography;

namespace HomeSignal.Hub.Broker;

/// <summary>
/// Where the hub's own MQTT client connects and with which account. With the embedded broker the port is known only
/// after it started (port 0 picks a free one) and the hub's account is a random secret made at start.
/// </summary>
public sealed class BrokerEndpoint
{
    private int? _kitPort;

    public BrokerEndpoint(BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Host = options.Host is "0.0.0.0" or "::" ? "127.0.0.1" : options.Host;
        Port = options.Port;
        if (options.Mode == BrokerMode.Embedded)
        {
            Username = options.Username ?? "homesignal-hub";
            Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        }
        else
        {
            Username = options.Username ?? string.Empty;
            Password = options.Password ?? string.Empty;
        }
    }

    /// <summary>Where the hub's own client connects (the embedded broker over TLS: its plain loopback endpoint).</summary>
    public string Host { get; internal set; }

    /// <summary>The port the hub's own client connects to (for the embedded broker, valid once the hub has started).</summary>
    public int Port { get; internal set; }

    /// <summary>The port kits connect to: the TLS endpoint when the embedded broker runs TLS, else <see cref="Port"/>.</summary>
    public int KitPort
    {
        get => _kitPort ?? Port;
        internal set => _kitPort = value;
    }

    public string Username { get; }

    public string Password { get; }
}
