using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Api;

/// <summary>The accepted bearer keys. With none configured and the explicit development setting, one is generated and logged.</summary>
public sealed class ApiKeys
{
    private readonly byte[][] _keys;

    public ApiKeys(IOptions<ApiOptions> options, ILogger<ApiKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = options.Value.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (keys.Count == 0 && options.Value.GenerateDevelopmentKey)
        {
            var generated = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            keys.Add(generated);
            logger.LogWarning("Api:GenerateDevelopmentKey is set: generated API key {Key} for this run only. Never use this setting in production.", generated);
        }

        Keys = keys;
        _keys = [.. keys.Select(Encoding.UTF8.GetBytes)];
    }

    public IReadOnlyList<string> Keys { get; }

    public bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var candidate = Encoding.UTF8.GetBytes(key);
        var ok = false;
        foreach (var k in _keys)
        {
            ok |= CryptographicOperations.FixedTimeEquals(candidate, k);
        }

        return ok;
    }
}

/// <summary>Requires <c>Authorization: Bearer &lt;key&gt;</c> on every API endpoint; answers 401 with a problem body otherwise.</summary>
public sealed class ApiKeyFilter(ApiKeys keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        var key = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
        if (!keys.IsValid(key))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: key is null ? "Send the header 'Authorization: Bearer <key>' with a key from the hub's Api:Keys." : "The API key is not valid.");
        }

        return await next(context);
    }
}
