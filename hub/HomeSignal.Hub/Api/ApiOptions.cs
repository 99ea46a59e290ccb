using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Api;

/// <summary>Configuration section <c>Api</c>.</summary>
public sealed class ApiOptions : IValidatedOptions
{
    public const string Section = "Api";

    /// <summary>Bearer keys accepted by the HTTP API. There is no default.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>
    /// Development and demo only: with no keys configured, generate one at start and log it. Must be set explicitly;
    /// otherwise the hub refuses to start without a key.
    /// </summary>
    public bool GenerateDevelopmentKey { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Keys.All(string.IsNullOrWhiteSpace) && !GenerateDevelopmentKey)
        {
            yield return "Api:Keys must hold at least one key (there is no default). For a local demo only, set Api:GenerateDevelopmentKey=true.";
        }

        if (Keys.Any(k => !string.IsNullOrWhiteSpace(k) && k.Trim().Length < 16))
        {
            yield return "Api:Keys entries must be at least 16 characters.";
        }
    }
}
