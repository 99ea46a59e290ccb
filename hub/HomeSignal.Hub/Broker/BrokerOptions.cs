using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Broker;

public enum BrokerMode
{
    /// <summary>The hub runs its own MQTTnet server (one machine, the default).</summary>
    Embedded,

    /// <summary>The hub connects to an external broker such as mosquitto.</summary>
    External,
}

/// <summary>Configuration section <c>Broker</c>.</summary>
public sealed class BrokerOptions : IValidatedOptions
{
    public const string Section = "Broker";

    public BrokerMode Mode { get; set; } = BrokerMode.Embedded;

    /// <summary>Embedded: the address to listen on. External: the broker's host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The MQTT port; 0 with the embedded broker picks a free port (see <see cref="BrokerEndpoint"/>).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Fixed client id of the hub's subscriber, so the broker keeps its session while the hub is down.</summary>
    public string ClientId { get; set; } = "homesignal-hub";

    /// <summary>How long the broker keeps the hub's session (and queued QoS 1 events) while the hub is away: the longest tolerated outage.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(72);

    /// <summary>External broker: the hub's own account (also written to the mosquitto password file).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>Subscribe through the MQTT 5 shared subscription group <c>$share/hubs/…</c>, so several hubs split the events.</summary>
    public bool SharedSubscription { get; set; }

    /// <summary>How many unacknowledged events the broker may have in flight to the hub (the hub acks after its durable write).</summary>
    public int ReceiveMaximum { get; set; } = 2000;

    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>External broker: where the hub writes mosquitto's password and ACL files (unset: not written).</summary>
    public string? MosquittoPasswordFile { get; set; }

    public string? MosquittoAclFile { get; set; }

    /// <summary>
    /// External broker with <c>Tls:Enabled</c>: where the hub writes mosquitto's TLS listener for kits (include it from
    /// mosquitto.conf, e.g. through <c>include_dir /etc/mosquitto/conf.d</c>). It also names the password and ACL files.
    /// </summary>
    public string? MosquittoTlsConfigFile { get; set; }

    /// <summary>The port of mosquitto's TLS listener for kits.</summary>
    public int MosquittoTlsPort { get; set; } = 8883;

    /// <summary>The address mosquitto's TLS listener binds (unset: every interface).</summary>
    public string? MosquittoTlsBindAddress { get; set; }

    /// <summary>
    /// Mosquitto's <c>pid_file</c>: after rewriting the password and ACL files the hub sends that process SIGHUP, so a
    /// revoked kit is refused (and disconnected) at once. Unset: reload mosquitto yourself (see Security/README.md).
    /// </summary>
    public string? MosquittoPidFile { get; set; }

    /// <summary>Embedded broker with <c>Tls:Enabled</c>: the plain-text port on 127.0.0.1 for the hub's own client only (0: a free port). Kits are refused there.</summary>
    public int LocalPort { get; set; }

    /// <summary>PBKDF2 iterations for new kit password hashes (mosquitto's <c>$7$</c> format).</summary>
    public int PasswordHashIterations { get; set; } = 1000;

    /// <summary>Embedded broker: most kits connected at once.</summary>
    public int ConnectionBacklog { get; set; } = 2000;

    public IEnumerable<string> Validate()
    {
        if (Port is < 0 or > 65535 || (Mode == BrokerMode.External && Port == 0))
        {
            yield return "Broker:Port must be 1–65535 (0 only with the embedded broker).";
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "Broker:Host is required.";
        }

        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.IndexOfAny(['+', '#', '/']) >= 0)
        {
            yield return "Broker:ClientId is required and may not contain '+', '#' or '/'.";
        }

        if (SessionExpiry < TimeSpan.FromMinutes(1) || SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            yield return "Broker:SessionExpiry must be at least 00:01:00 (the longest outage the broker should queue events for).";
        }

        if (Mode == BrokerMode.External && (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password)))
        {
            yield return "Broker:Username and Broker:Password are required with an external broker (no anonymous hub).";
        }

        if (Username is not null && (Username.Length == 0 || Username.IndexOfAny(['+', '#', '/', ':', ' ']) >= 0))
        {
            yield return "Broker:Username may not be empty or contain '+', '#', '/', ':' or spaces.";
        }

        if (ReceiveMaximum is < 1 or > 65535)
        {
            yield return "Broker:ReceiveMaximum must be 1–65535.";
        }

        if (ReconnectInterval <= TimeSpan.Zero)
        {
            yield return "Broker:ReconnectInterval must be positive.";
        }

        if (PasswordHashIterations is < 100 or > 1_000_000)
        {
            yield return "Broker:PasswordHashIterations must be 100–1000000.";
        }

        if ((MosquittoPasswordFile is null) != (MosquittoAclFile is null))
        {
            yield return "Broker:MosquittoPasswordFile and Broker:MosquittoAclFile go together.";
        }

        if (MosquittoTlsConfigFile is not null && MosquittoPasswordFile is null)
        {
            yield return "Broker:MosquittoTlsConfigFile needs Broker:MosquittoPasswordFile and Broker:MosquittoAclFile (kits need a certificate AND their password).";
        }

        if (MosquittoPidFile is not null && MosquittoPasswordFile is null)
        {
            yield return "Broker:MosquittoPidFile is only used with Broker:MosquittoPasswordFile and Broker:MosquittoAclFile.";
        }

        if (MosquittoTlsPort is < 1 or > 65535)
        {
            yield return "Broker:MosquittoTlsPort must be 1–65535.";
        }

        if (MosquittoTlsBindAddress is not null && !System.Net.IPAddress.TryParse(MosquittoTlsBindAddress, out _) && Uri.CheckHostName(MosquittoTlsBindAddress) != UriHostNameType.Dns)
        {
            yield return "Broker:MosquittoTlsBindAddress must be an IP address or host name.";
        }

        if (LocalPort is < 0 or > 65535)
        {
            yield return "Broker:LocalPort must be 0–65535 (0 picks a free port).";
        }
    }
}
