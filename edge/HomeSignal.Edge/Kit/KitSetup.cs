using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Kit;

public static class KitSetup
{
    /// <summary>Kit identity, health flags, the clock, and the data directory.</summary>
    public static HostApplicationBuilder AddKit(this HostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KitOptions>().Bind(builder.Configuration.GetSection(KitOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KitOptions>, KitOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<KitIdentity>();
        builder.Services.AddSingleton<KitHealth>();
        builder.Services.AddSingleton<DataDirectory>();
        return builder;
    }
}
