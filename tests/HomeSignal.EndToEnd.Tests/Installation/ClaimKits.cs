using HomeSignal.Edge.Tests.Support;

namespace HomeSignal.EndToEnd.Tests.Installation;

/// <summary>Settings of a kit fresh from the box: simulated GPIO, no credentials (so claim mode), told where the hub is.</summary>
public static class ClaimKits
{
    public static Dictionary<string, string?> Settings(string dataDirectory, InstallationSystem system)
    {
        var settings = TestKits.Settings("kit-unclaimed", dataDirectory, "127.0.0.1", system.Hub.MqttPort);
        settings.Remove("Kit:KitId");
        settings.Remove("Mqtt:Username");
        settings.Remove("Mqtt:Password");
        settings["Provisioning:HubUrl"] = system.Hub.Http.BaseAddress!.ToString();
        settings["Provisioning:EnrolUrl"] = system.EnrolUrl;
        return settings;
    }
}
