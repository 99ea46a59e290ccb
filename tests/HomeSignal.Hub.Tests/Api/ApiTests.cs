using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HomeSignal.Hub.Api;
using HomeSignal.Hub.Tests.Support;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Tests.Api;

public sealed class ApiTests
{
    [Fact]
    public async Task Requests_without_a_valid_key_get_401_with_a_problem_body_but_health_needs_none()
    {
        await using var hub = await TestHub.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = hub.Http.BaseAddress };

        var none = await anonymous.GetAsync("/api/kits");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key-0123456789abcdef");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events/recent")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/residents", new { displayName = "x" })).StatusCode);

        var health = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/api/events/recent?limit=abc", null, "limit")]
    [InlineData("GET", "/api/events/recent?limit=0", null, "limit")]
    [InlineData("POST", "/api/kits", "{\"kitId\":\"Kit+A\"}", "kitId")]
    [InlineData("POST", "/api/kits", "{\"kitId\":", "JSON")]
    [InlineData("POST", "/api/kits", "{\"kitId\":\"kit-x\",\"sensors\":[{\"sensorId\":\"s1\",\"kind\":\"toaster\",\"room\":\"hal\",\"purpose\":\"p\"}]}", "kind")]
    [InlineData("POST", "/api/residents", "{\"displayName\":\"\"}", "displayName")]
    [InlineData("GET", "/api/signals", null, "since")]
    [InlineData("GET", "/api/signals?since=yesterday", null, "since")]
    public async Task Bad_input_gets_400_with_a_detail_that_says_what_is_wrong(string method, string path, string? body, string mentioned)
    {
        await using var hub = await TestHub.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await hub.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(mentioned, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_ids_get_404_and_a_second_kit_with_the_same_id_gets_409()
    {
        await using var hub = await TestHub.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync("/api/kits/kit-none")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync("/api/kits/kit-none/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync("/api/residents/r-000000")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.PostAsync("/api/kits/kit-none/revoke", null)).StatusCode);

        await hub.CreateKitAsync("kit-twice");
        var again = await hub.Http.PostAsJsonAsync("/api/kits", new { kitId = "kit-twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task The_hub_refuses_to_start_without_an_api_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHub.StartAsync(new Dictionary<string, string?> { ["Api:Keys:0"] = null }));
        Assert.Contains("Api:Keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_explicit_development_setting_generates_a_key_that_works()
    {
        await using var hub = await TestHub.StartAsync(new Dictionary<string, string?> { ["Api:Keys:0"] = null, ["Api:GenerateDevelopmentKey"] = "true" });
        var key = Assert.Single(hub.Get<ApiKeys>().Keys);
        using var client = new HttpClient { BaseAddress = hub.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/kits")).StatusCode);
    }
}
