namespace HomeSignal.Hub.Provisioning;

/// <summary>A provisioning request refused for a reason a program can act on: an HTTP status, a stable code and a sentence.</summary>
public sealed class ProvisioningException(int status, string code, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    /// <summary>For 429: when the client may try again (sent as <c>Retry-After</c>).</summary>
    public int? RetryAfterSeconds { get; init; }

    public IResult ToResult() => ProvisioningProblem.Result(Status, Code, Message);
}

/// <summary>RFC 7807 problem bodies with an extra, stable <c>code</c> member.</summary>
public static class ProvisioningProblem
{
    public static IResult Result(int status, string code, string detail) =>
        Results.Problem(statusCode: status, title: TitleOf(status), detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ProvisioningException NotFound(string code, string detail) => new(StatusCodes.Status404NotFound, code, detail);

    public static ProvisioningException Conflict(string code, string detail) => new(StatusCodes.Status409Conflict, code, detail);

    public static ProvisioningException Gone(string code, string detail) => new(StatusCodes.Status410Gone, code, detail);

    public static ProvisioningException BadRequest(string code, string detail) => new(StatusCodes.Status400BadRequest, code, detail);

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad request",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status410Gone => "Gone",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        _ => "Error",
    };
}

/// <summary>Turns <see cref="ProvisioningException"/> into its problem body.</summary>
public sealed class ProvisioningErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (ProvisioningException ex)
        {
            if (ex.RetryAfterSeconds is { } seconds)
            {
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return ex.ToResult();
        }
    }
}

/// <summary>Stable codes of the installer API (the claim exchange's codes are in <c>ClaimProblemCodes</c>).</summary>
public static class ProvisioningCodes
{
    public const string UnknownResident = "unknown-resident";
    public const string UnknownKit = "unknown-kit";
    public const string ConsentMissing = "consent-missing";
    public const string ConsentNotWithdrawn = "consent-not-withdrawn";
    public const string NoWalkTest = "no-walktest";
    public const string UnknownStep = "unknown-step";
    public const string WalkTestIncomplete = "walktest-incomplete";
    public const string KitNotInstalling = "kit-not-installing";
    public const string KitNotBound = "kit-not-bound";
    public const string InvalidInput = "invalid-input";
}
