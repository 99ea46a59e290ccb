using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeSignal.Contracts.Provisioning;

namespace HomeSignal.Edge.Provisioning;

/// <summary>
/// The hub's collect answer, stored for good: <c>enrolment.json</c> (0600) is shaped as configuration (<c>Kit</c>,
/// <c>Mqtt</c>, <c>Liveness</c>) so the kit reads it as its last settings source, and the PEM files sit beside it (0600).
/// </summary>
public static class EnrolmentFile
{
    public const string FileName = "enrolment.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static void Write(string dataDirectory, ClaimAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var mqtt = new JsonObject
        {
            ["Host"] = answer.Broker!.Host,
            ["Port"] = answer.Broker.Port.ToString(CultureInfo.InvariantCulture),
            ["UseTls"] = answer.Broker.UseTls ? "true" : "false",
            ["Username"] = answer.Username,
            ["Password"] = answer.Password,
        };
        if (answer.Tls is { } tls)
        {
            var ca = Path.Combine(dataDirectory, "ca.crt");
            PrivateFile.Write(ca, tls.CaCertificatePem);
            mqtt["CaCertificatePath"] = ca;
            if (tls.ClientCertificatePem is { } certificate && tls.ClientKeyPem is { } key)
            {
                var certificatePath = Path.Combine(dataDirectory, "kit.crt");
                var keyPath = Path.Combine(dataDirectory, "kit.key");
                PrivateFile.Write(certificatePath, certificate);
                PrivateFile.Write(keyPath, key);
                mqtt["ClientCertificatePath"] = certificatePath;
                mqtt["ClientKeyPath"] = keyPath;
            }
        }

        var settings = new JsonObject
        {
            ["Kit"] = new JsonObject { ["KitId"] = answer.KitId },
            ["Mqtt"] = mqtt,
        };
        if (answer.HeartbeatIntervalSeconds is { } heartbeat)
        {
            settings["Liveness"] = new JsonObject { ["HeartbeatIntervalSeconds"] = heartbeat.ToString(CultureInfo.InvariantCulture) };
        }

        PrivateFile.Write(PathIn(dataDirectory), settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
