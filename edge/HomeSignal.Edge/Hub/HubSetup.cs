using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Hub;

public static class HubSetup
{
    /// <summary>The MQTT link to the hub, the outbox publisher with end-to-end acks, and hub config/commands.</summary>
    public static HostApplicationBuilder AddHubLink(this HostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MqttOptions>().Bind(builder.Configuration.GetSection(MqttOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        builder.Services.AddSingleton<HubConnection>();
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddSingleton<HubInstructions>();
        builder.Services.AddHostedService<HubLinkService>();
        return builder;
    }
}
