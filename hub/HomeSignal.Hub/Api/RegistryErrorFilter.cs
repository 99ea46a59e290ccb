using HomeSignal.Hub.Registry;

namespace HomeSignal.Hub.Api;

/// <summary>Turns registry refusals into problem details: unknown ids 404, conflicts 409, bad input 400.</summary>
public sealed class RegistryErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (RegistryException ex)
        {
            var (status, title) = ex.Error switch
            {
                RegistryError.NotFound => (StatusCodes.Status404NotFound, "Not found"),
                RegistryError.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
                _ => (StatusCodes.Status400BadRequest, "Bad request"),
            };
            return Results.Problem(statusCode: status, title: title, detail: ex.Message);
        }
    }
}
