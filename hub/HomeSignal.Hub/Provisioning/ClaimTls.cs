using HomeSignal.Contracts.Provisioning;
using HomeSignal.Hub.Security;

namespace HomeSignal.Hub.Provisioning;

/// <summary>The TLS part of a kit's collect answer: the hub's CA and a kit certificate, when the hub runs TLS.</summary>
public interface IClaimTlsIssuer
{
    bool Enabled { get; }

    /// <summary>The CA and a new kit certificate for <paramref name="kitId"/>; null when TLS is off.</summary>
    ClaimTls? Issue(string kitId);
}

/// <summary>TLS off (<c>Tls:Enabled</c> false): kits get no TLS material.</summary>
public sealed class NoClaimTls : IClaimTlsIssuer
{
    public bool Enabled => false;

    public ClaimTls? Issue(string kitId) => null;
}

/// <summary>TLS on (<c>Tls:Enabled</c>): the hub CA's certificate and a client certificate issued for the new kit id.</summary>
public sealed class CertificateAuthorityClaimTls(CertificateAuthority authority) : IClaimTlsIssuer
{
    public bool Enabled => true;

    public ClaimTls? Issue(string kitId)
    {
        var certificate = authority.IssueKitCertificate(kitId);
        return new ClaimTls
        {
            CaCertificatePem = authority.CaCertificatePem,
            ClientCertificatePem = certificate.CertificatePem,
            ClientKeyPem = certificate.PrivateKeyPem,
        };
    }
}
