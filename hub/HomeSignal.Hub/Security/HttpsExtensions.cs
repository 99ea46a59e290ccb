using System.Security.Authentication;
using HomeSignal.Hub.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Security;

public static class HttpsExtensions
{
    /// <summary>
    /// The hub API over HTTPS: with <c>Tls:Enabled</c>, every <c>https://</c> endpoint Kestrel binds is served with the
    /// hub's own server certificate (the one the MQTT listener uses). An <c>https://</c> endpoint without
    /// <c>Tls:Enabled</c> stops the hub at start; plain HTTP on an address other than loopback is logged as a warning.
    /// </summary>
    public static WebApplicationBuilder AddHttps(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<HttpsEndpointOptions>, ValidatedOptionsValidator<HttpsEndpointOptions>>();

        // Read lazily, so URLs and settings a test or the demo sets after AddHttps (Program.Build's configure) count.
        services.AddOptions<HttpsEndpointOptions>()
            .Configure<IConfiguration, IOptions<TlsOptions>>((https, configuration, tls) => https.Read(configuration, tls.Value.Enabled))
            .ValidateOnStart();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<TlsOptions>, IServiceProvider>((kestrel, tls, provider) =>
        {
            if (!tls.Value.Enabled)
            {
                // No CA is made while TLS is off; an https:// endpoint is refused by HttpsEndpointOptions first.
                return;
            }

            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

                // Asked per handshake, so a server certificate the CA makes again is served without a restart.
                https.ServerCertificateSelector = (_, _) => provider.GetRequiredService<CertificateAuthority>().ServerCertificate;
            });
        });
        services.AddHostedService<PlainHttpWarning>();
        return builder;
    }
}
