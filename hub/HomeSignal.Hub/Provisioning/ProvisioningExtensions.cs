using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HomeSignal.Hub.Provisioning;

public static class ProvisioningExtensions
{
    /// <summary>Claim codes, enrolment, the walk test, go-live, replacement and decommissioning (issue #7).</summary>
    public static WebApplicationBuilder AddProvisioning(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<ProvisioningOptions>(ProvisioningOptions.Section);
        services.AddSingleton<ClaimStore>();
        services.AddSingleton<WalkTestStore>();
        services.AddSingleton<WalkTests>();
        services.AddSingleton<IStoredEventObserver>(sp => sp.GetRequiredService<WalkTests>());
        services.AddSingleton<KitCommands>();
        services.TryAddSingleton<IClaimTlsIssuer>(sp => sp.GetRequiredService<IOptions<TlsOptions>>().Value.Enabled
            ? new CertificateAuthorityClaimTls(sp.GetRequiredService<CertificateAuthority>())
            : new NoClaimTls());
        services.AddSingleton<KitEnrolment>();
        services.AddSingleton<Decommissioning>();
        services.AddSingleton<ClaimSources>();
        services.AddSingleton<ProvisioningStats>();
        services.AddSingleton<ClaimSweep>();
        services.AddHostedService<ClaimSweepService>();
        return builder;
    }

    /// <summary><c>POST /provisioning/claims</c> for kits; the installer API is mapped with the rest of <c>/api</c>.</summary>
    public static WebApplication MapProvisioning(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapClaimExchange();
        return app;
    }
}
