using HomeSignal.Edge.Kit;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Outbox;

public static class OutboxSetup
{
    /// <summary>The durable SQLite outbox in the kit's data directory, and the recorder that writes to it.</summary>
    public static HostApplicationBuilder AddOutbox(this HostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        builder.Services.AddSingleton(sp =>
        {
            var dir = sp.GetRequiredService<DataDirectory>();
            dir.Ensure();
            var options = sp.GetRequiredService<IOptions<OutboxOptions>>().Value;
            return new OutboxStore(dir.OutboxPath, options.CapacityEvents, options.CapacityBytes);
        });
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<EventRecorder>();
        return builder;
    }
}
