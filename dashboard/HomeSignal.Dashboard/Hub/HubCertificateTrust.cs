using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Hub;

/// <summary>
/// How the dashboard trusts an <c>https://</c> hub: with <see cref="HubOptions.CaCertificatePath"/>, only certificates
/// from the hub's own CA (custom root trust, server-auth usage; the host name is still checked by TLS); without it,
/// the system trust store.
/// </summary>
public static class HubCertificateTrust
{
    /// <summary>id-kp-serverAuth.</summary>
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>The chain policy for the hub's TLS connections: trust <paramref name="ca"/> and nothing else.</summary>
    public static X509ChainPolicy OnlyTheHubCa(X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,

            // The hub CA publishes no revocation lists; a kit or server is withdrawn by the hub itself.
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(ca);
        policy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        return policy;
    }

    /// <summary>Loads the CA certificate (PEM or DER), or says in words why it cannot be used.</summary>
    public static X509Certificate2? TryLoad(string path, out string problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            problem = $"Hub:CaCertificatePath '{path}' does not exist (copy the hub's Tls:Directory/ca.crt).";
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException e)
        {
            problem = $"Hub:CaCertificatePath '{path}' is not a certificate ({e.Message.Trim()}); use the hub's ca.crt.";
            return null;
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            certificate.Dispose();
            problem = $"Hub:CaCertificatePath '{path}' is a certificate but not a CA certificate; use the hub's ca.crt, not server.crt.";
            return null;
        }

        problem = string.Empty;
        return certificate;
    }
}

/// <summary>
/// The chain policy for the hub client's handlers, made once from <see cref="HubOptions.CaCertificatePath"/> (null
/// without it: the system store); the CA certificate is disposed with the app. SslStream clones the policy per connection.
/// </summary>
public sealed class HubTrustPolicy(IOptions<HubOptions> options) : IDisposable
{
    private readonly Lazy<X509Certificate2?> _ca = new(() =>
    {
        var path = options.Value.CaCertificatePath;
        // Checked at start; should the file go bad before the first request, every request says why (hub unavailable).
        return string.IsNullOrWhiteSpace(path)
            ? null
            : HubCertificateTrust.TryLoad(path, out var problem) ?? throw new HttpRequestException(problem);
    });

    /// <summary>Only the hub CA, or null for the system trust store.</summary>
    public X509ChainPolicy? ChainPolicy => _ca.Value is { } ca ? HubCertificateTrust.OnlyTheHubCa(ca) : null;

    public void Dispose()
    {
        if (_ca.IsValueCreated)
        {
            _ca.Value?.Dispose();
        }
    }
}

/// <summary>Checks <see cref="HubOptions.CaCertificatePath"/> at start: the file exists, is a CA certificate, and the hub URL is https.</summary>
public sealed class HubCertificateTrustValidator : IValidateOptions<HubOptions>
{
    public ValidateOptionsResult Validate(string? name, HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CaCertificatePath is null)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.CaCertificatePath))
        {
            return ValidateOptionsResult.Fail("Hub:CaCertificatePath is empty: give the path of the hub's ca.crt, or leave the key out.");
        }

        if (Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) && url.Scheme != Uri.UriSchemeHttps)
        {
            return ValidateOptionsResult.Fail($"Hub:CaCertificatePath is set but Hub:BaseUrl '{options.BaseUrl}' is not https://: the hub's certificate would never be checked.");
        }

        using var ca = HubCertificateTrust.TryLoad(options.CaCertificatePath, out var problem);
        return ca is null ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
