using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HomeSignal.Dashboard.Hub;

/// <summary>Thrown when the hub cannot be reached or answers with an error; pages say so in Dutch instead of failing.</summary>
public sealed class HubUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The hub understood the request and refused it (a 4xx with an RFC 7807 body): <see cref="Code"/> is the stable
/// problem code (e.g. <c>claim-used</c>), which pages turn into Dutch words. Not a "hub down" situation.
/// </summary>
public sealed class HubRefusedException(int status, string? code, string detail)
    : Exception($"Hub refused ({status} {code}): {detail}")
{
    public int Status { get; } = status;

    public string? Code { get; } = code;

    public string Detail { get; } = detail;
}

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

    public Task<HubKit?> KitAsync(string kitId, CancellationToken ct = default) =>
        GetOrNullAsync<HubKit>($"api/kits/{Uri.EscapeDataString(kitId)}", ct);

    public async Task<HubResident> CreateResidentAsync(string displayName, string? phone, CancellationToken ct = default) =>
        await ExchangeAsync<HubResident>(HttpMethod.Post, "api/residents", new { displayName, phone }, ct)
        ?? throw new HubUnavailableException("Hub answered POST api/residents without a resident.");

    // Provisioning (PROVISIONING.md). These answer refusals with HubRefusedException so pages can say what went wrong.

    public Task<HubClaim?> ClaimAsync(string claimCode, CancellationToken ct = default) =>
        ExchangeAsync<HubClaim>(HttpMethod.Get, $"api/claims/{Uri.EscapeDataString(claimCode)}", null, ct);

    public async Task<HubEnrolment> EnrolAsync(string claimCode, string residentId, string enrolledBy, CancellationToken ct = default) =>
        await ExchangeAsync<HubEnrolment>(HttpMethod.Post, "api/enrolments", new { claimCode, residentId, enrolledBy }, ct)
        ?? throw new HubUnavailableException("Hub answered POST api/enrolments without an enrolment.");

    public Task<HubWalkTest?> StartWalkTestAsync(string kitId, CancellationToken ct = default) =>
        ExchangeAsync<HubWalkTest>(HttpMethod.Post, $"api/kits/{Uri.EscapeDataString(kitId)}/walktest", null, ct);

    /// <summary>The kit's walk test, or null when none was started (404 <c>no-walktest</c>).</summary>
    public async Task<HubWalkTest?> WalkTestAsync(string kitId, CancellationToken ct = default)
    {
        try
        {
            return await ExchangeAsync<HubWalkTest>(HttpMethod.Get, $"api/kits/{Uri.EscapeDataString(kitId)}/walktest", null, ct);
        }
        catch (HubRefusedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task RetryWalkTestStepAsync(string kitId, string sensorId, CancellationToken ct = default) =>
        ExchangeAsync<object>(HttpMethod.Post, $"api/kits/{Uri.EscapeDataString(kitId)}/walktest/steps/{Uri.EscapeDataString(sensorId)}/retry", null, ct);

    public Task GoLiveAsync(string kitId, string by, CancellationToken ct = default) =>
        ExchangeAsync<object>(HttpMethod.Post, $"api/kits/{Uri.EscapeDataString(kitId)}/golive", new { by }, ct);

    public async Task<HubEnrolment> ReplaceKitAsync(string kitId, string claimCode, string by, CancellationToken ct = default) =>
        await ExchangeAsync<HubEnrolment>(HttpMethod.Post, $"api/kits/{Uri.EscapeDataString(kitId)}/replace", new { claimCode, by }, ct)
        ?? throw new HubUnavailableException("Hub answered the replacement without an enrolment.");

    public Task RevokeKitAsync(string kitId, CancellationToken ct = default) =>
        ExchangeAsync<object>(HttpMethod.Post, $"api/kits/{Uri.EscapeDataString(kitId)}/revoke", null, ct);

    /// <summary>Decommission: the hub deletes the resident's data from every store (409 <c>consent-not-withdrawn</c> first).</summary>
    public Task DeleteResidentAsync(string residentId, CancellationToken ct = default) =>
        ExchangeAsync<object>(HttpMethod.Delete, $"api/residents/{Uri.EscapeDataString(residentId)}", null, ct);

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

    /// <summary>
    /// One request whose 4xx answers are refusals (<see cref="HubRefusedException"/> with the problem's code) and whose
    /// 5xx answers, timeouts and unreadable bodies mean the hub is unavailable. Returns default for an empty body.
    /// </summary>
    private async Task<T?> ExchangeAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, options: Json);
            }

            using var http = factory.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (status is >= 400 and < 500 && status != 401 && status != 403)
            {
                throw Refusal(status, text);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HubUnavailableException($"Hub answered {status} for {method} {path}: {text[..Math.Min(text.Length, 300)]}");
            }

            return typeof(T) == typeof(object) || string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, Json);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            throw new HubUnavailableException($"Hub request {method} {path} failed: {e.Message}", e);
        }
    }

    private static HubRefusedException Refusal(int status, string text)
    {
        string? code = null;
        var detail = text;
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                code = problem.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                detail = problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() ?? text : text;
            }
        }
        catch (JsonException)
        {
            // Not a problem body: keep the text as the detail.
        }

        return new HubRefusedException(status, code, detail[..Math.Min(detail.Length, 500)]);
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
