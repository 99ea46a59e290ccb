using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace HomeSignal.Edge.Hub;

/// <summary>
/// Decides whether the broker's certificate is the hub's: with <c>Mqtt:CaCertificatePath</c> the chain must end at that
/// CA alone (the system store is not consulted), the certificate must be made for server authentication, and the TLS
/// layer must have found the host name (<c>Mqtt:Host</c>) in it. Without a CA file the system store decides.
/// </summary>
public static class BrokerTrust
{
    /// <summary>id-kp-serverAuth.</summary>
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>The CA certificates of a PEM file (no private keys).</summary>
    public static X509Certificate2Collection LoadCa(string path)
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(path);
        if (trust.Count == 0)
        {
            throw new InvalidOperationException($"Mqtt:CaCertificatePath '{path}' holds no PEM certificate.");
        }

        return trust;
    }

    /// <summary>Returns null when the broker is trusted, else why not (for the log).</summary>
    public static string? Check(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2Collection? trust)
    {
        if (presented is null)
        {
            return "the broker sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "the broker's certificate is not made for this host name (Mqtt:Host)";
        }

        if (trust is null)
        {
            return errors == SslPolicyErrors.None ? null : $"the broker's certificate is not trusted by this system ({errors})";
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ServerAuthentication));
        if (!chain.Build(certificate))
        {
            var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
            return $"the broker's certificate does not chain to the CA in Mqtt:CaCertificatePath ({status})";
        }

        var root = chain.ChainElements[^1].Certificate;
        if (!trust.Any(t => t.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span)))
        {
            return "the broker's certificate does not chain to the CA in Mqtt:CaCertificatePath";
        }

        return errors == SslPolicyErrors.None ? null : $"the TLS layer refused the broker's certificate ({errors})";
    }
}
