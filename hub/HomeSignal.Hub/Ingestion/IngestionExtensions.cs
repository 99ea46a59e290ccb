using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Ingestion;

public static class IngestionExtensions
{
    /// <summary>MQTT message → validation → bounded queue → batch writer → HubAck and broker ack.</summary>
    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<IngestionOptions>(IngestionOptions.Section);
        services.AddSingleton<IngestStats>();
        services.AddSingleton<EventGate>();
        services.AddSingleton<IngestionPipeline>();
        services.AddSingleton<HubMqttConnection>();
        services.AddHostedService<IngestionWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<HubMqttConnection>());
        return builder;
    }
}
