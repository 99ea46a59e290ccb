using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Influx;
using HomeSignal.Hub.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Storage;

public static class StorageExtensions
{
    /// <summary>The event store (SQLite by default), the registry file, retention and the backfill path.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        var provider = builder.Configuration.GetSection(StorageOptions.Section).GetValue(nameof(StorageOptions.Provider), StorageProvider.Sqlite);
        if (provider == StorageProvider.Sqlite)
        {
            services.TryAddSingleton(sp => new SqliteEventStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value.SqlitePath));
            services.TryAddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        }
        else
        {
            // The provider is read at registration, so it comes from appsettings, the environment or the command line.
            builder.AddInfluxEventStore();
        }

        services.AddSingleton(sp => new RegistryDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.RegistryPath));
        services.AddSingleton<EventBackfill>();
        services.AddSingleton<RetentionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker>());
        return builder;
    }
}
