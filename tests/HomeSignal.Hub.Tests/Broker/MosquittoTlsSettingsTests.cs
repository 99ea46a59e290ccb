using HomeSignal.Hub.Broker;
using HomeSignal.Hub.Security;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeSignal.Hub.Tests.Broker;

/// <summary>Bad mosquitto TLS settings stop the hub with a message naming the key; a missing broker never crashes it.</summary>
public sealed class MosquittoTlsSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hs-mtlsset-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    [Fact]
    public void A_tls_listener_without_password_and_acl_files_is_refused_naming_the_keys()
    {
        var options = new BrokerOptions { Mode = BrokerMode.External, Username = "hub", Password = "secret", MosquittoTlsConfigFile = "/etc/mosquitto/conf.d/hs.conf", MosquittoTlsPort = 0 };

        var errors = string.Join("\n", options.Validate());

        Assert.Contains("Broker:MosquittoTlsConfigFile needs Broker:MosquittoPasswordFile", errors, StringComparison.Ordinal);
        Assert.Contains("Broker:MosquittoTlsPort must be 1–65535", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tls_listener_file_while_tls_is_off_stops_the_hub_with_a_clear_message()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestHub.StartAsync(new Dictionary<string, string?>
        {
            ["Broker:Mode"] = "External",
            ["Broker:Port"] = "1883",
            ["Broker:Username"] = "hub",
            ["Broker:Password"] = "secret",
            ["Broker:MosquittoPasswordFile"] = Path.Combine(_dir, "passwd"),
            ["Broker:MosquittoAclFile"] = Path.Combine(_dir, "acl"),
            ["Broker:MosquittoTlsConfigFile"] = Path.Combine(_dir, "tls.conf"),
        }, directory: _dir, deleteOnDispose: false));

        Assert.Contains("Broker:MosquittoTlsConfigFile is set but Tls:Enabled is false", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "tls.conf")));
    }

    [Fact]
    public void A_path_mosquitto_cannot_read_is_refused_instead_of_written()
    {
        using var ca = new CertificateAuthority(new TlsOptions { Enabled = true, Directory = Path.Combine(_dir, "with space") }, TimeProvider.System, NullLogger<CertificateAuthority>.Instance);
        var options = new BrokerOptions { MosquittoPasswordFile = Path.Combine(_dir, "passwd"), MosquittoAclFile = Path.Combine(_dir, "acl"), MosquittoTlsConfigFile = Path.Combine(_dir, "tls.conf") };

        var error = Assert.Throws<InvalidOperationException>(() => MosquittoTlsListener.Render(options, ca));

        Assert.Contains("cafile", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-pid")]
    [InlineData("1")]
    public void A_missing_or_bad_pid_file_is_logged_and_never_thrown(string? content)
    {
        var pidFile = Path.Combine(_dir, "mosquitto.pid");
        if (content is not null)
        {
            File.WriteAllText(pidFile, content);
        }

        var reload = new MosquittoReload(new BrokerOptions { MosquittoPidFile = pidFile }, NullLogger<MosquittoReload>.Instance);

        Assert.False(reload.Signal());
    }
}
