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
        builder.Services.AddHttpClient(HubClient.HttpClientName, (services, http) =>
        {
            var options = services.GetRequiredService<IOptions<HubOptions>>().Value;
            http.BaseAddress = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        })
        .ConfigurePrimaryHttpMessageHandler(services =>
        {
            var handler = new SocketsHttpHandler();
            var path = services.GetRequiredService<IOptions<HubOptions>>().Value.CaCertificatePath;
            if (!string.IsNullOrWhiteSpace(path))
            {
                // Validated at start; a file that went bad since fails the request (the hub is then "unavailable").
                var ca = HubCertificateTrust.TryLoad(path, out var problem) ?? throw new HttpRequestException(problem);
                handler.SslOptions.CertificateChainPolicy = HubCertificateTrust.OnlyTheHubCa(ca);
            }

            return handler;
        });
        return builder;
    }
}
