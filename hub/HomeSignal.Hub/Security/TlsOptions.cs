using System.Net;
using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Security;

/// <summary>The key type of the certificates the hub's CA makes.</summary>
public enum TlsKeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256: small keys, fast on a Raspberry Pi, supported by mosquitto (OpenSSL) and .NET.</summary>
    EcdsaP256,

    /// <summary>ECDSA on NIST P-384.</summary>
    EcdsaP384,

    /// <summary>RSA with <see cref="TlsOptions.RsaKeySize"/> bits, for peers that cannot do ECDSA.</summary>
    Rsa,
}

/// <summary>Configuration section <c>Tls</c>: the hub's local certificate authority and MQTT over TLS.</summary>
public sealed class TlsOptions : IValidatedOptions
{
    public const string Section = "Tls";

    /// <summary>MQTT over TLS with client certificates. Off by default: plain text is for the demo and tests only.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where <c>ca.crt</c>, <c>ca.key</c>, <c>server.crt</c> and <c>server.key</c> live (keys 0600).</summary>
    public string Directory { get; set; } = "data/tls";

    /// <summary>DNS names and IP addresses kits use to reach the broker; <c>localhost</c> and <c>127.0.0.1</c> are always added.</summary>
    public List<string> ServerNames { get; set; } = [];

    /// <summary>The common name of the CA certificate.</summary>
    public string CaName { get; set; } = "HomeSignal hub CA";

    public TimeSpan CaLifetime { get; set; } = TimeSpan.FromDays(20 * 365);

    public TimeSpan ServerCertificateLifetime { get; set; } = TimeSpan.FromDays(2 * 365);

    /// <summary>A server certificate closer than this to its end is made again at start (same CA, so kits keep trusting it).</summary>
    public TimeSpan ServerRenewBefore { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Kit certificates outlive a kit's normal service life; a revoked kit is refused through its password.</summary>
    public TimeSpan KitCertificateLifetime { get; set; } = TimeSpan.FromDays(10 * 365);

    public TlsKeyAlgorithm KeyAlgorithm { get; set; } = TlsKeyAlgorithm.EcdsaP256;

    public int RsaKeySize { get; set; } = 3072;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return "Tls:Directory is required (where the CA and server certificates are kept).";
        }

        foreach (var name in ServerNames)
        {
            if (string.IsNullOrWhiteSpace(name) || (!IPAddress.TryParse(name, out _) && Uri.CheckHostName(name) != UriHostNameType.Dns))
            {
                yield return $"Tls:ServerNames contains '{name}', which is neither a DNS name nor an IP address.";
            }
        }

        if (string.IsNullOrWhiteSpace(CaName))
        {
            yield return "Tls:CaName is required.";
        }

        if (CaLifetime < TimeSpan.FromDays(1))
        {
            yield return "Tls:CaLifetime must be at least 1.00:00:00.";
        }

        if (ServerCertificateLifetime < TimeSpan.FromDays(1) || ServerCertificateLifetime > CaLifetime)
        {
            yield return "Tls:ServerCertificateLifetime must be at least 1.00:00:00 and not longer than Tls:CaLifetime.";
        }

        if (KitCertificateLifetime < TimeSpan.FromDays(1) || KitCertificateLifetime > CaLifetime)
        {
            yield return "Tls:KitCertificateLifetime must be at least 1.00:00:00 and not longer than Tls:CaLifetime.";
        }

        if (ServerRenewBefore < TimeSpan.Zero || ServerRenewBefore >= ServerCertificateLifetime)
        {
            yield return "Tls:ServerRenewBefore must be at least 0 and shorter than Tls:ServerCertificateLifetime.";
        }

        if (!Enum.IsDefined(KeyAlgorithm))
        {
            yield return "Tls:KeyAlgorithm must be EcdsaP256, EcdsaP384 or Rsa.";
        }

        if (KeyAlgorithm == TlsKeyAlgorithm.Rsa && RsaKeySize is not (2048 or 3072 or 4096))
        {
            yield return "Tls:RsaKeySize must be 2048, 3072 or 4096.";
        }
    }
}
