using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Zigbee;

namespace HomeSignal.Hub.Tests.Zigbee;

public sealed class ZigbeeOptionsTests
{
    [Fact]
    public void Disabled_zigbee_needs_no_settings()
    {
        Assert.Empty(new ZigbeeOptions().Validate());
    }

    [Fact]
    public void Each_bad_setting_is_named_by_its_key()
    {
        var options = new ZigbeeOptions
        {
            Enabled = true,
            BaseTopic = "zigbee2mqtt/#",
            Username = "zigbee2mqtt",
            PasswordHash = "plain-password",
            Devices =
            [
                new ZigbeeDevice { Device = "Voordeur", KitId = "Kit One", SensorId = "door-front", Kind = SensorKind.Door },
                new ZigbeeDevice { Device = "Knop", KitId = "zb-kit-1", SensorId = "kit", Kind = SensorKind.Button },
                new ZigbeeDevice { Device = "Voordeur", KitId = "zb-kit-1", SensorId = "door-back", Kind = SensorKind.Door },
            ],
        };

        var errors = options.Validate().ToList();
        Assert.Contains(errors, e => e.StartsWith("Zigbee:BaseTopic", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Zigbee:Username", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Zigbee:Devices:0:KitId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Zigbee:Devices:1:SensorId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Zigbee:Devices:1:Kind", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'Voordeur' more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Enabled_zigbee_without_devices_is_refused()
    {
        Assert.Contains(new ZigbeeOptions { Enabled = true }.Validate(), e => e.StartsWith("Zigbee:Devices", StringComparison.Ordinal));
    }
}
