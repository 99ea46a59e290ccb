using System.Globalization;
using System.Text;
using HomeSignal.Hub.Security;

namespace HomeSignal.Hub.Broker;

/// <summary>
/// The mosquitto listener for kits over TLS (<c>Broker:MosquittoTlsConfigFile</c>): TLS 1.2 or newer, the hub CA's
/// server certificate, a client certificate from the hub CA required, and the hub's password and ACL files, so a kit
/// needs BOTH its certificate and its own password. Include the file from mosquitto.conf; the hub's own client uses a
/// plain listener on 127.0.0.1 configured there.
/// </summary>
public static class MosquittoTlsListener
{
    public static string Render(BrokerOptions options, CertificateAuthority ca)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ca);
        var listener = options.MosquittoTlsPort.ToString(CultureInfo.InvariantCulture)
            + (options.MosquittoTlsBindAddress is { } bind ? " " + bind : string.Empty);
        var text = new StringBuilder();
        text.Append("# Written by the HomeSignal hub; edits are overwritten. Mosquitto reads listeners only when it starts.\n");
        text.Append("# Kits: a client certificate from the hub CA AND their own password (revocation removes the password).\n");
        text.Append("listener ").Append(listener).Append('\n');
        text.Append("protocol mqtt\n");
        Line(text, "cafile", ca.CaCertificatePath);
        Line(text, "certfile", ca.ServerCertificatePath);
        Line(text, "keyfile", ca.ServerKeyPath);
        text.Append("require_certificate true\n");
        text.Append("use_identity_as_username false\n");
        text.Append("tls_version tlsv1.2\n");
        text.Append("allow_anonymous false\n");
        Line(text, "password_file", Path.GetFullPath(options.MosquittoPasswordFile!));
        Line(text, "acl_file", Path.GetFullPath(options.MosquittoAclFile!));
        return text.ToString();
    }

    /// <summary>Writes the file when its text changed; returns whether it did (mosquitto must then be restarted once).</summary>
    public static bool Write(BrokerOptions options, CertificateAuthority ca)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(options.MosquittoTlsConfigFile!);
        var text = Render(options, ca);
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return false;
        }

        MosquittoFiles.WriteAtomically(path, text);
        return true;
    }

    private static void Line(StringBuilder text, string key, string path)
    {
        // Mosquitto splits option values at spaces; a path with one would silently point elsewhere.
        if (path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new InvalidOperationException($"The mosquitto {key} path '{path}' contains a space or control character, which mosquitto cannot read: choose another Tls:Directory or Broker file path.");
        }

        text.Append(key).Append(' ').Append(path).Append('\n');
    }
}
