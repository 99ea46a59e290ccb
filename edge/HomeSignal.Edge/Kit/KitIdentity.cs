using System.Reflection;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Kit;

/// <summary>Who is running, since when: a new random boot id every start, so the hub can tell runs apart.</summary>
public sealed class KitIdentity
{
    public KitIdentity(IOptions<KitOptions> options, TimeProvider time)
    {
        KitId = options.Value.KitId;
        BootId = Guid.NewGuid().ToString("N");
        StartedAt = time.GetUtcNow();
        SoftwareVersion = typeof(KitIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(KitIdentity).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";
    }

    public string KitId { get; }

    public string BootId { get; }

    public DateTimeOffset StartedAt { get; }

    public string SoftwareVersion { get; }
}
