using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Aggregation;

public static class AggregationExtensions
{
    /// <summary>Hourly and daily activity aggregates per resident, kept up to date.</summary>
    public static WebApplicationBuilder AddAggregation(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<AggregationOptions>(AggregationOptions.Section);
        builder.Services.AddSingleton<AggregationService>();
        builder.Services.AddSingleton<AggregationWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AggregationWorker>());
        return builder;
    }
}
