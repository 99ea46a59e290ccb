using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Security;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Tests.Security;

/// <summary>The hub's HTTP API over HTTPS with the hub's own server certificate (real Kestrel on 127.0.0.1, free ports).</summary>
public sealed class HubHttpsTests
{
    [Fact]
    public async Task A_hub_with_tls_enabled_serves_its_api_over_https_with_the_server_certificate_of_its_own_ca()
    {
        var dir = Directory.CreateTempSubdirectory("hs-https-").FullName;
        await using var hub = await TestHub.StartAsync(
            new Dictionary<string, string?>
            {
                ["Urls"] = "https://127.0.0.1:0",
                ["Tls:Enabled"] = "true",
                ["Tls:Directory"] = Path.Combine(dir, "tls"),
            },
            directory: dir);
        var ca = hub.Get<CertificateAuthority>();
        X509Certificate2? presented = null;
        var problem = "no certificate was presented";
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null)
            {
                return false;
            }

            presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());

            // Only the system store's verdict on the chain is overruled: the host name must match.
            return (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == System.Net.Security.SslPolicyErrors.None
                && ca.Validates(presented, CertificateAuthority.ServerAuthentication, out problem);
        };
        using var http = new HttpClient(handler) { BaseAddress = hub.App.HttpAddress(), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestHub.ApiKey);

        using var response = await http.GetAsync("/api/residents");

        Assert.Equal("https", hub.App.HttpAddress().Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(presented);
        Assert.True(ca.Validates(presented, CertificateAuthority.ServerAuthentication, out problem), problem);
        Assert.Equal(ca.ServerCertificate.Thumbprint, presented.Thumbprint);
        presented.Dispose();
    }

    [Theory]
    [InlineData("Urls", "https://127.0.0.1:0")]
    [InlineData("Kestrel:Endpoints:Api:Url", "https://127.0.0.1:0")]
    public async Task A_hub_configured_for_https_without_tls_enabled_refuses_to_start_naming_the_keys(string key, string url)
    {
        var dir = Directory.CreateTempSubdirectory("hs-https-off-").FullName;
        var app = Program.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            [key] = url,
            ["Broker:Host"] = "127.0.0.1",
            ["Broker:Port"] = "0",
            ["Storage:SqlitePath"] = Path.Combine(dir, "events.db"),
            ["Storage:RegistryPath"] = Path.Combine(dir, "registry.db"),
            ["Tls:Directory"] = Path.Combine(dir, "tls"),
            ["Api:Keys:0"] = TestHub.ApiKey,
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        try
        {
            var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains($"{key}={url}", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Tls:Enabled is false", refused.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(dir, "tls")), "no certificate is made, and no development certificate is used");
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_hub_on_plain_http_warns_when_it_listens_on_every_interface_and_not_when_on_loopback()
    {
        var exposedLogs = new CapturedLogs();
        await using (var exposed = await TestHub.StartAsync(
            new Dictionary<string, string?> { ["Urls"] = "http://0.0.0.0:0" },
            builder => builder.Logging.AddProvider(exposedLogs)))
        {
            Assert.Equal(HttpStatusCode.OK, (await exposed.Http.GetAsync("/api/residents")).StatusCode);
            Assert.Single(exposedLogs.At(LogLevel.Warning), m => m.StartsWith("The hub API listens on plain HTTP on http://0.0.0.0:", StringComparison.Ordinal));
        }

        var loopbackLogs = new CapturedLogs();
        await using var loopback = await TestHub.StartAsync(configure: builder => builder.Logging.AddProvider(loopbackLogs));
        Assert.Equal(HttpStatusCode.OK, (await loopback.Http.GetAsync("/api/residents")).StatusCode);
        Assert.DoesNotContain(loopbackLogs.At(LogLevel.Warning), m => m.Contains("plain HTTP", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://[::]:8080", true)]
    [InlineData("http://192.168.1.20:8080", true)]
    [InlineData("http://hub.example.nl:8080", true)]
    [InlineData("http://127.0.0.1:8080", false)]
    [InlineData("http://localhost:8080", false)]
    [InlineData("http://[::1]:8080", false)]
    [InlineData("https://0.0.0.0:8443", false)]
    public void Plain_http_counts_as_exposed_only_off_loopback(string address, bool exposed) =>
        Assert.Equal(exposed, PlainHttpWarning.ExposedPlainHttp([address]).Count == 1);
}
