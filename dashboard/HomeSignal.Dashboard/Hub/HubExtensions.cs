using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Hub;

public static class HubExtensions
{
    public static WebApplicationBuilder AddHub(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubOptions>().Bind(builder.Configuration.GetSection(HubOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<HubClient>();
        builder.Services.AddHttpClient(HubClient.HttpClientName, (services, http) =>
        {
            var options = services.GetRequiredService<IOptions<HubOptions>>().Value;
            http.BaseAddress = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        });
        return builder;
    }
}
