using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Hub;

public static class HubExtensions
{
    public static WebApplicationBuilder AddHub(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<HubOptions>, HubCertificateTrustValidator>();
        builder.Services.AddOptions<HubOptions>().Bind(builder.Configuration.GetSection(HubOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<HubClient>();
        builder.Services.AddSingleton<HubTrustPolicy>();
        builder.Services.AddHttpClient(HubClient.HttpClientName, (services, http) =>
        {
            var options = services.GetRequiredService<IOptions<HubOptions>>().Value;
            http.BaseAddress = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        })
        .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
        {
            // With Hub:CaCertificatePath only the hub CA; without it (null) the system trust store.
            SslOptions = { CertificateChainPolicy = services.GetRequiredService<HubTrustPolicy>().ChainPolicy },
        });
        return builder;
    }
}
