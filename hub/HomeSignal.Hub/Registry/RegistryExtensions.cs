using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Signals;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Registry;

public static class RegistryExtensions
{
    /// <summary>Residents, kits, consent, labels, context and signals (all in the registry file).</summary>
    public static WebApplicationBuilder AddRegistry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(sp => new KitRegistry(
            sp.GetRequiredService<RegistryDatabase>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<BrokerOptions>>().Value.PasswordHashIterations));
        builder.Services.AddSingleton<ResidentRegistry>();
        builder.Services.AddSingleton<KitAdministration>();
        builder.Services.AddSingleton<SignalStore>();
        return builder;
    }
}
