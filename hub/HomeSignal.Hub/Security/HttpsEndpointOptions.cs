using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Security;

/// <summary>
/// The hub API's <c>https://</c> endpoints as configured (<c>Urls</c>, <c>HTTPS_PORTS</c>, <c>Kestrel:Endpoints:*:Url</c>)
/// next to <c>Tls:Enabled</c>, so a hub asked to serve HTTPS without its own certificate stops at start instead of
/// reaching for the ASP.NET development certificate.
/// </summary>
public sealed class HttpsEndpointOptions : IValidatedOptions
{
    /// <summary>Each configured HTTPS endpoint with the key it came from, e.g. <c>("Urls", "https://0.0.0.0:8443")</c>.</summary>
    public List<(string Key, string Url)> HttpsEndpoints { get; } = [];

    public bool TlsEnabled { get; set; }

    /// <summary>Collects the HTTPS endpoints from the same keys Kestrel reads.</summary>
    public void Read(IConfiguration configuration, bool tlsEnabled)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        TlsEnabled = tlsEnabled;
        HttpsEndpoints.Clear();
        foreach (var url in (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IsHttps(url))
            {
                HttpsEndpoints.Add(("Urls", url));
            }
        }

        if (!string.IsNullOrWhiteSpace(configuration["https_ports"]))
        {
            HttpsEndpoints.Add(("HTTPS_PORTS", configuration["https_ports"]!));
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            var url = endpoint["Url"];
            if (url is not null && IsHttps(url))
            {
                HttpsEndpoints.Add(($"Kestrel:Endpoints:{endpoint.Key}:Url", url));
            }
        }
    }

    public IEnumerable<string> Validate()
    {
        if (TlsEnabled || HttpsEndpoints.Count == 0)
        {
            yield break;
        }

        var listed = string.Join(", ", HttpsEndpoints.Select(e => $"{e.Key}={e.Url}"));
        yield return $"The hub API is configured for HTTPS ({listed}) but Tls:Enabled is false. The hub serves HTTPS only "
            + "with its own server certificate: set Tls:Enabled=true (certificates in Tls:Directory, names in Tls:ServerNames), "
            + "or use an http:// URL on 127.0.0.1.";
    }

    private static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
