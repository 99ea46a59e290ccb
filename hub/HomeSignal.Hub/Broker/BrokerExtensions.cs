using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Security;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Broker;

public static class BrokerExtensions
{
    /// <summary>The embedded MQTTnet broker (default) or the mosquitto files for an external broker.</summary>
    public static WebApplicationBuilder AddBroker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<BrokerOptions>(BrokerOptions.Section);
        services.AddSingleton(sp => new BrokerEndpoint(sp.GetRequiredService<IOptions<BrokerOptions>>().Value));
        services.AddSingleton(sp => new MosquittoReload(sp.GetRequiredService<IOptions<BrokerOptions>>().Value, sp.GetRequiredService<ILogger<MosquittoReload>>()));
        services.AddSingleton(sp => new MosquittoFiles(
            sp.GetRequiredService<IOptions<BrokerOptions>>().Value, sp.GetRequiredService<KitRegistry>(), sp.GetRequiredService<MosquittoReload>(), sp.GetRequiredService<ILogger<MosquittoFiles>>()));
        services.AddSingleton<EmbeddedBroker>();

        // Order matters: the broker (or its files) is ready before the hub's own client connects.
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        services.AddHostedService<MosquittoFilesWriter>();
        return builder;
    }
}

/// <summary>Writes the mosquitto files (and the TLS listener) at start, and the files again after every change of kits or revocations.</summary>
public sealed class MosquittoFilesWriter(
    MosquittoFiles files,
    KitRegistry kits,
    IOptions<BrokerOptions> options,
    IOptions<TlsOptions> tls,
    IServiceProvider services,
    ILogger<MosquittoFilesWriter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MosquittoTlsConfigFile is { } tlsConfig)
        {
            if (!tls.Value.Enabled)
            {
                throw new InvalidOperationException("Broker:MosquittoTlsConfigFile is set but Tls:Enabled is false: enable TLS, or remove the setting.");
            }

            if (MosquittoTlsListener.Write(options.Value, services.GetRequiredService<CertificateAuthority>()))
            {
                logger.LogWarning("Wrote mosquitto's TLS listener for kits to {File}: restart mosquitto once to open it (listeners are read only at start).", tlsConfig);
            }
        }

        if (files.Enabled)
        {
            files.Write();
            kits.Changed += OnChanged;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        kits.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(object? sender, EventArgs e) => files.Write();
}
