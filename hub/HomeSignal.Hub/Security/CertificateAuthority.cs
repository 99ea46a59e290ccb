using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HomeSignal.Hub.Security;

/// <summary>A certificate for one kit, handed to it once at enrolment (the hub keeps no copy of the key).</summary>
public sealed record KitCertificate(string CertificatePem, string PrivateKeyPem, DateTimeOffset NotAfter);

/// <summary>
/// The hub's local certificate authority. On first use it creates the CA and the broker's server certificate in
/// <see cref="TlsOptions.Directory"/> (keys 0600) and reuses them on later starts; a server certificate that is missing,
/// about to expire, not from this CA or made for other names is made again. It issues client certificates for kits
/// (CN = kit id, client-auth EKU) and checks that a presented certificate chains to this CA and nothing else.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string ServerCertificateFile = "server.crt";
    public const string ServerKeyFile = "server.key";

    /// <summary>id-kp-serverAuth.</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>id-kp-clientAuth.</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private static readonly string[] AlwaysServed = ["localhost", "127.0.0.1"];

    private readonly TlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateAuthority> _logger;
    private readonly Lock _signing = new();
    private readonly X509Certificate2 _ca;

    /// <param name="time">Peers check certificates against their real clocks: the hub passes <see cref="TimeProvider.System"/>.</param>
    public CertificateAuthority(TlsOptions options, TimeProvider time, ILogger<CertificateAuthority> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _time = time;
        _logger = logger;
        Directory = Path.GetFullPath(options.Directory);
        CreatePrivateDirectory(Directory);
        _ca = LoadOrCreateCa();
        CaCertificatePem = _ca.ExportCertificatePem() + "\n";
        ServerCertificate = LoadOrCreateServerCertificate();
    }

    /// <summary>The absolute directory holding the CA and server files.</summary>
    public string Directory { get; }

    public string CaCertificatePath => Path.Combine(Directory, CaCertificateFile);

    public string ServerCertificatePath => Path.Combine(Directory, ServerCertificateFile);

    public string ServerKeyPath => Path.Combine(Directory, ServerKeyFile);

    /// <summary>The CA certificate (PEM) kits trust to recognise the broker.</summary>
    public string CaCertificatePem { get; }

    /// <summary>The CA certificate without its private key.</summary>
    public X509Certificate2 CaCertificate => X509CertificateLoader.LoadCertificate(_ca.RawData);

    /// <summary>The broker's certificate with its private key, for the embedded broker's TLS endpoint.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The names the server certificate is made for: <see cref="TlsOptions.ServerNames"/> plus localhost and 127.0.0.1.</summary>
    public IReadOnlyList<string> ServerNames => _options.ServerNames.Concat(AlwaysServed).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Issues a client certificate for a kit: CN = <paramref name="kitId"/>, client-auth EKU, signed by this CA.</summary>
    public KitCertificate IssueKitCertificate(string kitId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kitId);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(kitId);
        using var key = NewKey();
        var request = LeafRequest(subject.Build(), key, ClientAuthentication);
        var notBefore = _time.GetUtcNow().AddMinutes(-5);
        var notAfter = Min(notBefore + _options.KitCertificateLifetime, _ca.NotAfter);
        X509Certificate2 certificate;
        lock (_signing)
        {
            certificate = request.Create(_ca, notBefore, notAfter, SerialNumber());
        }

        using (certificate)
        {
            _logger.LogInformation("Issued a client certificate for kit {KitId}, valid until {NotAfter:u}.", kitId, certificate.NotAfter.ToUniversalTime());
            return new KitCertificate(certificate.ExportCertificatePem() + "\n", ExportKeyPem(key), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to this CA only (not to the system store), is valid now and carries
    /// <paramref name="usage"/> (e.g. <see cref="ClientAuthentication"/>). <paramref name="problem"/> says why not.
    /// </summary>
    public bool Validates(X509Certificate2 certificate, string usage, out string problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var ca = CaCertificate;
        return ChainsTo(certificate, ca, usage, _time.GetUtcNow(), out problem);
    }

    /// <summary>Chain validation against one trusted root, for any caller that holds a CA certificate.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root, string usage, DateTimeOffset at, out string problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(root);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        if (!chain.Build(certificate))
        {
            problem = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("the chain does not build"));
            return false;
        }

        var top = chain.ChainElements[^1].Certificate;
        if (!top.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span))
        {
            problem = "the certificate does not chain to the hub's CA";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    public void Dispose()
    {
        _ca.Dispose();
        ServerCertificate.Dispose();
    }

    private X509Certificate2 LoadOrCreateCa()
    {
        var certificatePath = CaCertificatePath;
        var keyPath = Path.Combine(Directory, CaKeyFile);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            _logger.LogInformation("Using the hub CA {Subject} from {Directory} (valid until {NotAfter:u}).", existing.Subject, Directory, existing.NotAfter.ToUniversalTime());
            return existing;
        }

        if (File.Exists(certificatePath) || File.Exists(keyPath))
        {
            throw new InvalidOperationException($"Only one of {CaCertificateFile} and {CaKeyFile} exists in {Directory}: restore the other from a backup, or remove both to make a new CA (every kit then needs a new certificate).");
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(_options.CaName);
        subject.AddOrganizationName("HomeSignal");
        using var key = NewKey();
        var request = NewRequest(subject.Build(), key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var notBefore = _time.GetUtcNow().AddMinutes(-5);
        var ca = request.CreateSelfSigned(notBefore, notBefore + _options.CaLifetime);
        WriteKey(keyPath, ExportKeyPem(key));
        WritePublic(certificatePath, ca.ExportCertificatePem() + "\n");
        _logger.LogWarning("Created a new hub CA in {Directory}, valid until {NotAfter:u}. Back up {Key}: without it no new kit can be enrolled over TLS.", Directory, ca.NotAfter.ToUniversalTime(), CaKeyFile);
        return ca;
    }

    private X509Certificate2 LoadOrCreateServerCertificate()
    {
        if (File.Exists(ServerCertificatePath) && File.Exists(ServerKeyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(ServerCertificatePath, ServerKeyPath);
            var reason = WhyNotUsable(existing);
            if (reason is null)
            {
                return existing;
            }

            existing.Dispose();
            _logger.LogWarning("Making a new server certificate: {Reason}.", reason);
        }

        var names = ServerNames;
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(names[0]);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        using var key = NewKey();
        var request = LeafRequest(subject.Build(), key, ServerAuthentication);
        request.CertificateExtensions.Add(san.Build());
        var notBefore = _time.GetUtcNow().AddMinutes(-5);
        using var issued = request.Create(_ca, notBefore, Min(notBefore + _options.ServerCertificateLifetime, _ca.NotAfter), SerialNumber());
        WriteKey(ServerKeyPath, ExportKeyPem(key));
        WritePublic(ServerCertificatePath, issued.ExportCertificatePem() + "\n");
        _logger.LogInformation("Created the broker's server certificate for {Names}, valid until {NotAfter:u}.", string.Join(", ", names), issued.NotAfter.ToUniversalTime());
        return X509Certificate2.CreateFromPemFile(ServerCertificatePath, ServerKeyPath);
    }

    /// <summary>Why an existing server certificate cannot stay, or null when it can.</summary>
    private string? WhyNotUsable(X509Certificate2 certificate)
    {
        var now = _time.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() - now.UtcDateTime < _options.ServerRenewBefore)
        {
            return $"the current one ends {certificate.NotAfter.ToUniversalTime():u}";
        }

        if (!Validates(certificate, ServerAuthentication, out var problem))
        {
            return $"the current one does not validate against the hub CA ({problem})";
        }

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var present = san is null
            ? []
            : san.EnumerateDnsNames().Select(n => n.ToUpperInvariant()).Concat(san.EnumerateIPAddresses().Select(a => a.ToString())).ToHashSet();
        var wanted = ServerNames.Select(n => IPAddress.TryParse(n, out var a) ? a.ToString() : n.ToUpperInvariant()).ToHashSet();
        return present.SetEquals(wanted) ? null : "Tls:ServerNames changed";
    }

    private CertificateRequest LeafRequest(X500DistinguishedName subject, AsymmetricAlgorithm key, string usage)
    {
        var request = NewRequest(subject, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var keyUsage = key is RSA ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request;
    }

    private CertificateRequest NewRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, _options.KeyAlgorithm == TlsKeyAlgorithm.EcdsaP384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException("Unsupported key type."),
    };

    private AsymmetricAlgorithm NewKey() => _options.KeyAlgorithm switch
    {
        TlsKeyAlgorithm.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        TlsKeyAlgorithm.Rsa => RSA.Create(_options.RsaKeySize),
        _ => ECDsa.Create(ECCurve.NamedCurves.nistP256),
    };

    private static string ExportKeyPem(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem() + "\n";

    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive and without a leading zero byte
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b)
    {
        var other = new DateTimeOffset(b.ToUniversalTime(), TimeSpan.Zero);
        return a < other ? a : other;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else if (!System.IO.Directory.Exists(path))
        {
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WriteKey(string path, string pem) =>
        WriteAtomically(path, pem, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    private static void WritePublic(string path, string pem) =>
        WriteAtomically(path, pem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    private static void WriteAtomically(string path, string content, UnixFileMode mode)
    {
        var temp = path + ".tmp";
        File.Delete(temp);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with its final mode, so the key is never readable by others, not even for a moment.
            fileOptions.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(temp, fileOptions))
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
