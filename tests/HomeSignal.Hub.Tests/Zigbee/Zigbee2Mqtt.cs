using System.Text;
using HomeSignal.Hub.Registry;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HomeSignal.Hub.Tests.Zigbee;

/// <summary>zigbee2mqtt as the hub sees it: an MQTT client with its own account publishing device reports.</summary>
public sealed class Zigbee2Mqtt : IAsyncDisposable
{
    public const string Username = "zigbee2mqtt_bridge";
    public const string Password = "z2m-secret-for-tests";
    public const string Resident = "zb-kit-1";

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    /// <summary>The hub's Zigbee settings: a front door contact and a living-room motion sensor on one virtual kit.</summary>
    public static Dictionary<string, string?> Settings(string baseTopic = "zigbee2mqtt") => new()
    {
        ["Zigbee:Enabled"] = "true",
        ["Zigbee:BaseTopic"] = baseTopic,
        ["Zigbee:Username"] = Username,
        ["Zigbee:PasswordHash"] = PasswordHash.Create(Password, 1000),
        ["Zigbee:LowBatteryPercent"] = "20",
        ["Zigbee:Devices:0:Device"] = "Voordeur",
        ["Zigbee:Devices:0:KitId"] = Resident,
        ["Zigbee:Devices:0:SensorId"] = "door-front",
        ["Zigbee:Devices:0:Kind"] = "Door",
        ["Zigbee:Devices:0:Room"] = "hal",
        ["Zigbee:Devices:0:Purpose"] = "front-door",
        ["Zigbee:Devices:1:Device"] = "Woonkamer/beweging",
        ["Zigbee:Devices:1:KitId"] = Resident,
        ["Zigbee:Devices:1:SensorId"] = "motion-living",
        ["Zigbee:Devices:1:Kind"] = "Motion",
        ["Zigbee:Devices:1:Room"] = "woonkamer",
        ["Zigbee:Devices:1:Purpose"] = "presence",
    };

    public async Task<MqttClientConnectResultCode> ConnectAsync(int port, string username = Username, string password = Password)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("zigbee2mqtt-" + Guid.NewGuid().ToString("N")[..6])
            .WithCredentials(username, password)
            .WithTimeout(TimeSpan.FromSeconds(15))
            .Build();
        try
        {
            return (await _client.ConnectAsync(options)).ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return MqttClientConnectResultCode.NotAuthorized;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            return MqttClientConnectResultCode.NotAuthorized;
        }
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, string payload) => PublishAsync(topic, Encoding.UTF8.GetBytes(payload));

    public Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
