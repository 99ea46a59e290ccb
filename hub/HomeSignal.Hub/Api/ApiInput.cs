using System.Globalization;
using System.Text.Json;

namespace HomeSignal.Hub.Api;

/// <summary>Reads and checks request input; every failure becomes a 400 problem body that says what is wrong.</summary>
public static class ApiInput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 16,
    };

    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static async Task<(T? Value, IResult? Error)> ReadBodyAsync<T>(HttpRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is > 64 * 1024)
        {
            return (null, BadRequest("The request body is larger than 64 KiB."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, request.HttpContext.RequestAborted);
            return value is null ? (null, BadRequest("The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"The request body is not valid JSON for this request: {ex.Message.Split(" Path:")[0]}"));
        }
    }

    public static bool TryLimit(string? text, int fallback, int max, out int limit, out IResult? error)
    {
        error = null;
        limit = fallback;
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > max)
        {
            error = BadRequest($"limit must be a whole number from 1 to {max}.");
            return false;
        }

        return true;
    }

    public static bool TryTime(string? text, string name, out DateTimeOffset? value, out IResult? error)
    {
        error = null;
        value = null;
        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            error = BadRequest($"{name} must be an ISO 8601 time, e.g. 2026-01-31T08:00:00Z.");
            return false;
        }

        value = parsed;
        return true;
    }
}
