using System.Security.Authentication;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Hub.Hosting;
using HomeSignal.Hub.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using HubProgram = HomeSignal.Hub.Program;

namespace HomeSignal.Dashboard.Tests.HubTrust;

/// <summary>
/// The dashboard's hub client against a real hub serving its API over HTTPS with its own CA (Kestrel on 127.0.0.1, free
/// port): it trusts the hub CA named by Hub:CaCertificatePath and nothing else, and checks the host name.
/// </summary>
public sealed class HubCertificateTrustTests : IAsyncLifetime
{
    private const string ApiKey = "dashboard-trust-key-0123456789";

    private readonly string _directory = Directory.CreateTempSubdirectory("hs-dash-trust-").FullName;
    private WebApplication _hub = null!;

    private string HubUrl => _hub.HttpAddress().ToString();

    private string HubCaPath => Path.Combine(_directory, "tls", CertificateAuthority.CaCertificateFile);

    public async Task InitializeAsync()
    {
        _hub = HubProgram.Build([], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "https://127.0.0.1:0",
                ["Tls:Enabled"] = "true",
                ["Tls:Directory"] = Path.Combine(_directory, "tls"),
                ["Broker:Host"] = "127.0.0.1",
                ["Broker:Port"] = "0",
                ["Storage:SqlitePath"] = Path.Combine(_directory, "events.db"),
                ["Storage:RegistryPath"] = Path.Combine(_directory, "registry.db"),
                ["Api:Keys:0"] = ApiKey,
            });
        });
        await _hub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _hub.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);
        }
        finally
        {
            await _hub.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir never fails a test.
        }
    }

    [Fact]
    public async Task The_hub_client_with_the_hub_ca_talks_to_the_hub_over_https()
    {
        await using var dashboard = await StartClientAsync(HubUrl, HubCaPath);
        var client = dashboard.Services.GetRequiredService<HubClient>();

        var created = await client.CreateResidentAsync("Mevrouw de Vries", null);
        var residents = await client.ResidentsAsync();

        Assert.StartsWith("https://127.0.0.1:", HubUrl, StringComparison.Ordinal);
        Assert.Contains(residents, r => r.ResidentId == created.ResidentId && r.DisplayName == "Mevrouw de Vries");
    }

    [Fact]
    public async Task The_hub_client_refuses_a_hub_whose_certificate_comes_from_another_ca()
    {
        using var other = new CertificateAuthority(
            new TlsOptions { Enabled = true, Directory = Path.Combine(_directory, "other-ca"), CaName = "Some other CA" },
            TimeProvider.System,
            NullLogger<CertificateAuthority>.Instance);
        await using var dashboard = await StartClientAsync(HubUrl, other.CaCertificatePath);

        var refused = await Assert.ThrowsAsync<HubUnavailableException>(() => dashboard.Services.GetRequiredService<HubClient>().ResidentsAsync());

        Assert.Contains("certificate chain", TlsRefusal(refused) ?? refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hub_client_refuses_the_hub_under_a_host_name_its_certificate_does_not_carry()
    {
        // TLS checks the name the client asks for; SocketsHttpHandler takes it from the Host header, so this client asks
        // the hub on 127.0.0.1 to be "hub.elders.example", a name its certificate (localhost, 127.0.0.1) does not carry.
        await using var dashboard = await StartClientAsync(HubUrl, HubCaPath, builder =>
            builder.Services.AddHttpClient(HubClient.HttpClientName).ConfigureHttpClient(http => http.DefaultRequestHeaders.Host = "hub.elders.example"));

        var refused = await Assert.ThrowsAsync<HubUnavailableException>(() => dashboard.Services.GetRequiredService<HubClient>().ResidentsAsync());

        Assert.Contains("RemoteCertificateNameMismatch", TlsRefusal(refused) ?? refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_ca_path_the_hub_client_trusts_the_system_store_only_and_so_refuses_the_hubs_own_certificate()
    {
        await using var dashboard = await StartClientAsync(HubUrl, caPath: null);

        var refused = await Assert.ThrowsAsync<HubUnavailableException>(() => dashboard.Services.GetRequiredService<HubClient>().ResidentsAsync());

        Assert.Contains("certificate chain", TlsRefusal(refused) ?? refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_path_that_does_not_exist_stops_the_dashboard_at_start_naming_the_key()
    {
        var missing = Path.Combine(_directory, "nowhere", "ca.crt");

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartClientAsync(HubUrl, missing));

        Assert.Contains($"Hub:CaCertificatePath '{missing}' does not exist", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_path_that_is_not_a_certificate_stops_the_dashboard_at_start_naming_the_key()
    {
        var notACertificate = Path.Combine(_directory, "ca-key-by-mistake.pem");
        await File.WriteAllTextAsync(notACertificate, "this is not a certificate\n");

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartClientAsync(HubUrl, notACertificate));

        Assert.Contains($"Hub:CaCertificatePath '{notACertificate}' is not a certificate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hubs_server_certificate_given_as_the_ca_stops_the_dashboard_at_start()
    {
        var serverCertificate = Path.Combine(_directory, "tls", CertificateAuthority.ServerCertificateFile);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartClientAsync(HubUrl, serverCertificate));

        Assert.Contains("not a CA certificate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_path_with_a_plain_http_hub_url_stops_the_dashboard_at_start()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartClientAsync("http://127.0.0.1:5080/", HubCaPath));

        Assert.Contains("Hub:BaseUrl 'http://127.0.0.1:5080/' is not https://", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The dashboard's hub feature alone (<see cref="HubExtensions.AddHub"/>) in a host started on 127.0.0.1, so its
    /// options are validated at start as in the dashboard. Disposed by the caller; on a failed start, here.
    /// </summary>
    private static async Task<WebApplication> StartClientAsync(string hubUrl, string? caPath, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:BaseUrl"] = hubUrl,
            ["Hub:ApiKey"] = ApiKey,
            ["Hub:CaCertificatePath"] = caPath,
            ["Hub:TimeoutSeconds"] = "30",
        });
        builder.AddHub();
        configure?.Invoke(builder);
        var app = builder.Build();
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The TLS refusal's words, e.g. "… errors in the certificate chain …", or null when TLS did not refuse.</summary>
    private static string? TlsRefusal(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return inner.Message;
            }
        }

        return null;
    }
}
