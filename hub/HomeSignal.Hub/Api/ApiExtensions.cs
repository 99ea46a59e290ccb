using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Provisioning;

namespace HomeSignal.Hub.Api;

public static class ApiExtensions
{
    /// <summary>The HTTP API of API.md: bearer keys, problem details, camelCase JSON without nulls.</summary>
    public static WebApplicationBuilder AddHubApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<ApiOptions>(ApiOptions.Section);
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        return builder;
    }

    public static WebApplication MapHubApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/health", () => Results.Text("ok"));
        var api = app.MapGroup("/api")
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<RegistryErrorFilter>();
        api.MapKitEndpoints();
        api.MapResidentEndpoints();
        api.MapSignalEndpoints();
        api.MapInstallerEndpoints();
        return app;
    }
}
