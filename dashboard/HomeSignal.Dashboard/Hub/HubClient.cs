using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HomeSignal.Dashboard.Hub;

/// <summary>Thrown when the hub cannot be reached or answers with an error; pages say so in Dutch instead of failing.</summary>
public sealed class HubUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The dashboard's only way to the hub: its HTTP API v1 (hub/HomeSignal.Hub/API.md).</summary>
public sealed class HubClient(IHttpClientFactory factory)
{
    public const string HttpClientName = "hub";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<IReadOnlyList<HubResident>> ResidentsAsync(CancellationToken ct = default) =>
        GetListAsync<HubResident>("api/residents", ct);

    public Task<HubResident?> ResidentAsync(string residentId, CancellationToken ct = default) =>
        GetOrNullAsync<HubResident>($"api/residents/{Uri.EscapeDataString(residentId)}", ct);

    public async Task<HubConsent> ConsentAsync(string residentId, CancellationToken ct = default) =>
        await GetOrNullAsync<HubConsent>($"api/residents/{Uri.EscapeDataString(residentId)}/consent", ct) ?? HubConsent.None;

    public Task PutConsentAsync(string residentId, HubConsent consent, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, $"api/residents/{Uri.EscapeDataString(residentId)}/consent", consent, ct);

    public Task<IReadOnlyList<HubContextPeriod>> ContextAsync(string residentId, CancellationToken ct = default) =>
        GetListAsync<HubContextPeriod>($"api/residents/{Uri.EscapeDataString(residentId)}/context", ct);

    public Task AddContextAsync(string residentId, HubContextPeriod period, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"api/residents/{Uri.EscapeDataString(residentId)}/context",
            new { period.Kind, period.From, period.To, period.Note }, ct);

    public Task<IReadOnlyList<HubSignal>> ResidentSignalsAsync(string residentId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        GetListAsync<HubSignal>($"api/residents/{Uri.EscapeDataString(residentId)}/signals?from={Q(from)}&to={Q(to)}", ct);

    public Task<IReadOnlyList<HubSignal>> SignalsSinceAsync(DateTimeOffset since, CancellationToken ct = default) =>
        GetListAsync<HubSignal>($"api/signals?since={Q(since)}", ct);

    public Task<IReadOnlyList<HubAggregate>> AggregatesAsync(string residentId, string granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        GetListAsync<HubAggregate>($"api/residents/{Uri.EscapeDataString(residentId)}/aggregates?granularity={granularity}&from={Q(from)}&to={Q(to)}", ct);

    public Task PostLabelAsync(string residentId, HubLabel label, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"api/residents/{Uri.EscapeDataString(residentId)}/labels", label, ct);

    public Task<IReadOnlyList<HubKit>> KitsAsync(CancellationToken ct = default) => GetListAsync<HubKit>("api/kits", ct);

    private static string Q(DateTimeOffset time) =>
        Uri.EscapeDataString(time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));

    private async Task<IReadOnlyList<T>> GetListAsync<T>(string path, CancellationToken ct) =>
        await GetAsync<List<T>>(path, allowNotFound: false, ct) ?? [];

    private Task<T?> GetOrNullAsync<T>(string path, CancellationToken ct) => GetAsync<T>(path, allowNotFound: true, ct);

    private async Task<T?> GetAsync<T>(string path, bool allowNotFound, CancellationToken ct)
    {
        try
        {
            using var http = factory.CreateClient(HttpClientName);
            using var response = await http.GetAsync(path, ct);
            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
            {
                return default;
            }

            await EnsureSuccessAsync(response, path, ct);
            return await response.Content.ReadFromJsonAsync<T>(Json, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            throw new HubUnavailableException($"Hub request GET {path} failed: {e.Message}", e);
        }
    }

    private async Task SendAsync(HttpMethod method, string path, object body, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) };
            using var http = factory.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, ct);
            await EnsureSuccessAsync(response, path, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new HubUnavailableException($"Hub request {method} {path} failed: {e.Message}", e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new HubUnavailableException($"Hub answered {(int)response.StatusCode} for {path}: {body[..Math.Min(body.Length, 300)]}");
        }
    }
}
