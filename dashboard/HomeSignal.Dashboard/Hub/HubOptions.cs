using System.ComponentModel.DataAnnotations;

namespace HomeSignal.Dashboard.Hub;

/// <summary>Config section "Hub": where the hub's HTTP API lives and the key to use (no default).</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    [Required(ErrorMessage = "Hub:BaseUrl is required, e.g. http://127.0.0.1:5080/.")]
    [Url(ErrorMessage = "Hub:BaseUrl must be an absolute http(s) URL.")]
    public string BaseUrl { get; set; } = string.Empty;

    [Required(ErrorMessage = "Hub:ApiKey is required: one of the hub's Api:Keys.")]
    [MinLength(16, ErrorMessage = "Hub:ApiKey must be at least 16 characters.")]
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// The hub CA's certificate (the hub's <c>Tls:Directory/ca.crt</c>). With it, an <c>https://</c> hub must present a
    /// certificate from that CA alone (not the system store) naming the host in <see cref="BaseUrl"/>. Without it, an
    /// <c>https://</c> hub is checked against the system trust store (a hub behind a proxy with a public certificate).
    /// </summary>
    public string? CaCertificatePath { get; set; }

    [Range(1, 120, ErrorMessage = "Hub:TimeoutSeconds must be between 1 and 120.")]
    public int TimeoutSeconds { get; set; } = 15;
}
