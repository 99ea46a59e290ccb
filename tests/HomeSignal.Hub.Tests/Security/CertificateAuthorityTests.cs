using System.Security.Cryptography.X509Certificates;
using HomeSignal.Hub.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Hub.Tests.Security;

public sealed class CertificateAuthorityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hs-ca-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_ca_and_server_certificate_are_created_on_first_start_with_private_keys_0600()
    {
        var tls = Options("tls");
        using var ca = new CertificateAuthority(tls, TimeProvider.System, NullLogger<CertificateAuthority>.Instance);

        foreach (var file in new[] { "ca.crt", "ca.key", "server.crt", "server.key" })
        {
            Assert.True(File.Exists(Path.Combine(ca.Directory, file)), $"{file} is written");
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(ca.Directory, "ca.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(ca.Directory, "server.key")));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", ca.CaCertificatePem, StringComparison.Ordinal);
        Assert.True(ca.ServerCertificate.HasPrivateKey);
        Assert.True(ca.Validates(ca.ServerCertificate, CertificateAuthority.ServerAuthentication, out var problem), problem);
        Assert.False(ca.Validates(ca.ServerCertificate, CertificateAuthority.ClientAuthentication, out _));

        var san = ca.ServerCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["hub.example.nl", "localhost"], san.EnumerateDnsNames().Order(StringComparer.Ordinal));
        Assert.Equal(["10.0.0.5", "127.0.0.1"], san.EnumerateIPAddresses().Select(a => a.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_restart_reuses_the_same_ca_and_server_certificate()
    {
        var tls = Options("tls");
        string caPem;
        string serverThumbprint;
        using (var first = new CertificateAuthority(tls, TimeProvider.System, NullLogger<CertificateAuthority>.Instance))
        {
            caPem = first.CaCertificatePem;
            serverThumbprint = first.ServerCertificate.Thumbprint;
        }

        using var second = new CertificateAuthority(tls, TimeProvider.System, NullLogger<CertificateAuthority>.Instance);
        Assert.Equal(caPem, second.CaCertificatePem);
        Assert.Equal(serverThumbprint, second.ServerCertificate.Thumbprint);
    }

    [Fact]
    public void A_server_certificate_near_its_end_or_for_other_names_is_made_again_by_the_same_ca()
    {
        var tls = Options("tls");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string caPem;
        string serverThumbprint;
        using (var first = new CertificateAuthority(tls, time, NullLogger<CertificateAuthority>.Instance))
        {
            caPem = first.CaCertificatePem;
            serverThumbprint = first.ServerCertificate.Thumbprint;
        }

        time.Advance(tls.ServerCertificateLifetime - tls.ServerRenewBefore + TimeSpan.FromDays(1));
        string renewedThumbprint;
        using (var renewed = new CertificateAuthority(tls, time, NullLogger<CertificateAuthority>.Instance))
        {
            Assert.Equal(caPem, renewed.CaCertificatePem);
            Assert.NotEqual(serverThumbprint, renewed.ServerCertificate.Thumbprint);
            renewedThumbprint = renewed.ServerCertificate.Thumbprint;
        }

        tls.ServerNames.Add("hub2.example.nl");
        using var renamed = new CertificateAuthority(tls, time, NullLogger<CertificateAuthority>.Instance);
        Assert.NotEqual(renewedThumbprint, renamed.ServerCertificate.Thumbprint);
        Assert.Contains("hub2.example.nl", renamed.ServerCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    [Theory]
    [InlineData(TlsKeyAlgorithm.EcdsaP256)]
    [InlineData(TlsKeyAlgorithm.Rsa)]
    public void A_kit_certificate_names_the_kit_and_validates_against_the_ca_for_client_authentication(TlsKeyAlgorithm algorithm)
    {
        var tls = Options("tls");
        tls.KeyAlgorithm = algorithm;
        tls.RsaKeySize = 2048;
        using var ca = new CertificateAuthority(tls, TimeProvider.System, NullLogger<CertificateAuthority>.Instance);

        var issued = ca.IssueKitCertificate("kit-0042");

        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem, issued.PrivateKeyPem);
        Assert.Equal("kit-0042", certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.True(certificate.HasPrivateKey);
        Assert.True(ca.Validates(certificate, CertificateAuthority.ClientAuthentication, out var problem), problem);
        Assert.False(ca.Validates(certificate, CertificateAuthority.ServerAuthentication, out _), "a kit certificate cannot serve as a broker");
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), issued.NotAfter.UtcDateTime);
        Assert.True(issued.NotAfter > DateTimeOffset.UtcNow.AddYears(5));
    }

    [Fact]
    public void A_kit_certificate_from_another_ca_does_not_validate()
    {
        using var ours = new CertificateAuthority(Options("ours"), TimeProvider.System, NullLogger<CertificateAuthority>.Instance);
        using var theirs = new CertificateAuthority(Options("theirs"), TimeProvider.System, NullLogger<CertificateAuthority>.Instance);

        var foreign = theirs.IssueKitCertificate("kit-0042");

        using var certificate = X509Certificate2.CreateFromPem(foreign.CertificatePem);
        Assert.False(ours.Validates(certificate, CertificateAuthority.ClientAuthentication, out var problem));
        Assert.NotEmpty(problem);
        Assert.False(ours.Validates(theirs.ServerCertificate, CertificateAuthority.ServerAuthentication, out _));
    }

    [Fact]
    public void A_ca_key_without_its_certificate_stops_the_hub_with_a_clear_message()
    {
        var tls = Options("tls");
        using (new CertificateAuthority(tls, TimeProvider.System, NullLogger<CertificateAuthority>.Instance))
        {
        }

        File.Delete(Path.Combine(tls.Directory, "ca.crt"));
        var error = Assert.Throws<InvalidOperationException>(() => new CertificateAuthority(tls, TimeProvider.System, NullLogger<CertificateAuthority>.Instance));
        Assert.Contains("ca.crt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_tls_settings_are_named_in_the_validation_errors()
    {
        var tls = new TlsOptions
        {
            Directory = " ",
            ServerNames = ["hub example"],
            KitCertificateLifetime = TimeSpan.FromDays(100 * 365),
            KeyAlgorithm = TlsKeyAlgorithm.Rsa,
            RsaKeySize = 1024,
        };

        var errors = string.Join("\n", tls.Validate());

        Assert.Contains("Tls:Directory", errors, StringComparison.Ordinal);
        Assert.Contains("Tls:ServerNames contains 'hub example'", errors, StringComparison.Ordinal);
        Assert.Contains("Tls:KitCertificateLifetime", errors, StringComparison.Ordinal);
        Assert.Contains("Tls:RsaKeySize", errors, StringComparison.Ordinal);
        Assert.Empty(Options("ok").Validate());
    }

    private TlsOptions Options(string name) => new()
    {
        Enabled = true,
        Directory = Path.Combine(_directory, name),
        ServerNames = ["hub.example.nl", "10.0.0.5"],
    };
}
