using HomeSignal.Hub.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Storage.Influx;

public static class InfluxStorageExtensions
{
    public const string HttpClientName = "HomeSignal.Influx";

    /// <summary>
    /// Registers <see cref="InfluxEventStore"/> as the hub's <see cref="IEventStore"/> (configuration section
    /// <c>Storage:Influx</c>, validated on start) and the service that starts and stops it with the host.
    /// </summary>
    public static IHostApplicationBuilder AddInfluxEventStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<InfluxOptions>()
            .Bind(builder.Configuration.GetSection(InfluxOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InfluxOptions>, InfluxOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 16,
            });
        builder.Services.AddSingleton(sp => new InfluxEventStore(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<InfluxOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<InfluxEventStore>>()));
        builder.Services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<InfluxEventStore>());
        builder.Services.AddHostedService<InfluxStoreService>();
        return builder;
    }
}

/// <summary>
/// Starts the store, retrying while InfluxDB is not up yet (until then the store refuses writes, so nothing is acked
/// and the broker keeps the kits' messages), and stops it with the host.
/// </summary>
public sealed class InfluxStoreService : BackgroundService
{
    private readonly InfluxEventStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<InfluxStoreService> _logger;

    public InfluxStoreService(InfluxEventStore store, TimeProvider time, ILogger<InfluxStoreService> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _store.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = _store.Options.RetryInitialDelay;
        try
        {
            while (!_store.IsRunning)
            {
                try
                {
                    await _store.StartAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is HttpRequestException or InfluxException || (ex is TaskCanceledException && !stoppingToken.IsCancellationRequested))
                {
                    _logger.LogWarning("InfluxDB store could not start, retrying in {Delay}: {Error}", delay, ex.Message);
                    await Task.Delay(delay, _time, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _store.Options.RetryMaxDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stopped before InfluxDB came up.
        }
    }
}
