using HomeSignal.Edge.Hub;
using HomeSignal.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Tests.Hub;

/// <summary>A kit's TLS settings: its client certificate comes in addition to its password, never instead of it.</summary>
public sealed class MqttTlsSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_client_certificate_with_username_and_password_is_accepted()
    {
        var options = Resolve(TlsSettings());

        Assert.True(options.UseTls);
        Assert.Equal(_dir.File("kit.crt"), options.ClientCertificatePath);
        Assert.Equal("kit-tls", options.Username);
    }

    [Fact]
    public void A_client_certificate_without_the_password_is_refused_naming_the_key()
    {
        var settings = TlsSettings();
        settings["Mqtt:Password"] = string.Empty;

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains("Mqtt:Password is missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mqtt:UseTls", "false", "Mqtt:UseTls must be true")]
    [InlineData("Mqtt:ClientKeyPath", "", "Mqtt:ClientKeyPath is missing")]
    [InlineData("Mqtt:CaCertificatePath", "/nonexistent/ca.crt", "Mqtt:CaCertificatePath '/nonexistent/ca.crt' does not exist")]
    public void Inconsistent_tls_settings_are_refused_naming_the_key(string key, string value, string message)
    {
        var settings = TlsSettings();
        settings[key] = value;

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_without_its_certificate_is_refused()
    {
        var settings = TlsSettings();
        settings["Mqtt:ClientCertificatePath"] = string.Empty;

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains("Mqtt:ClientKeyPath is set without Mqtt:ClientCertificatePath", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string?> TlsSettings()
    {
        foreach (var file in new[] { "ca.crt", "kit.crt", "kit.key" })
        {
            File.WriteAllText(_dir.File(file), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        }

        var settings = TestKits.Settings("kit-tls", _dir.Path);
        settings["Mqtt:UseTls"] = "true";
        settings["Mqtt:CaCertificatePath"] = _dir.File("ca.crt");
        settings["Mqtt:ClientCertificatePath"] = _dir.File("kit.crt");
        settings["Mqtt:ClientKeyPath"] = _dir.File("kit.key");
        return settings;
    }

    private static MqttOptions Resolve(Dictionary<string, string?> settings)
    {
        using var host = TestKits.Build(settings);
        return host.Services.GetRequiredService<IOptions<MqttOptions>>().Value;
    }
}
