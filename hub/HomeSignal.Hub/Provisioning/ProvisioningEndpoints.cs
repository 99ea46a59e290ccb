using HomeSignal.Contracts.Provisioning;
using HomeSignal.Hub.Api;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Provisioning;

public sealed record EnrolmentInput(string? ClaimCode, string? ResidentId, string? EnrolledBy);

public sealed record GoLiveInput(string? By);

public sealed record ReplaceInput(string? ClaimCode, string? By);

public sealed record ProvisioningStatsView(long WaitingClaims, int MaxWaitingClaims, long RefusedHubFull, long RefusedSourceLimit, long ExpiredClaimsDeleted, long UncollectedRevoked);

/// <summary>The kit's claim exchange (no API key: code + secret authenticate) and the installer's API (bearer key).</summary>
public static class ProvisioningEndpoints
{
    public static void MapClaimExchange(this IEndpointRouteBuilder app)
    {
        app.MapPost("/provisioning/claims", async (HttpRequest request, KitEnrolment enrolment, CancellationToken ct) =>
        {
            if (request.ContentLength is > ClaimReader.MaxPollBytes)
            {
                return ProvisioningProblem.Result(StatusCodes.Status400BadRequest, ClaimProblemCodes.InvalidClaim, $"The body is larger than {ClaimReader.MaxPollBytes} bytes.");
            }

            // Read at most one byte past the limit: a chunked body without a length must not fill the memory.
            using var buffer = new MemoryStream();
            var chunk = new byte[4096];
            int read;
            while (buffer.Length <= ClaimReader.MaxPollBytes && (read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }

            if (buffer.Length > ClaimReader.MaxPollBytes)
            {
                return ProvisioningProblem.Result(StatusCodes.Status400BadRequest, ClaimProblemCodes.InvalidClaim, $"The body is larger than {ClaimReader.MaxPollBytes} bytes.");
            }

            var poll = ClaimReader.ReadPoll(buffer.ToArray());
            if (!poll.IsValid)
            {
                return ProvisioningProblem.Result(StatusCodes.Status400BadRequest, ClaimProblemCodes.InvalidClaim, poll.Error!.Message);
            }

            var outcome = await enrolment.PollAsync(poll.Value!, request.HttpContext.Connection.RemoteIpAddress, ct);
            return new ClaimAnswerResult(outcome);
        }).AddEndpointFilter<ProvisioningErrorFilter>();
    }

    public static void MapInstallerEndpoints(this RouteGroupBuilder api)
    {
        var installer = api.MapGroup(string.Empty).AddEndpointFilter<ProvisioningErrorFilter>();

        installer.MapGet("/provisioning/stats", async (ProvisioningStats stats, ClaimStore claims, IOptions<ProvisioningOptions> options, TimeProvider time, CancellationToken ct) =>
            Results.Ok(new ProvisioningStatsView(
                await claims.CountWaitingAsync(time.GetUtcNow() - options.Value.ClaimLifetime, ct),
                options.Value.MaxWaitingClaims,
                stats.RefusedHubFull,
                stats.RefusedSourceLimit,
                stats.ExpiredClaimsDeleted,
                stats.UncollectedRevoked)));

        installer.MapGet("/claims/{claimCode}", async (string claimCode, KitEnrolment enrolment, CancellationToken ct) =>
            Results.Ok(await enrolment.ViewAsync(claimCode, ct)));

        installer.MapPost("/enrolments", async (HttpRequest request, KitEnrolment enrolment, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<EnrolmentInput>(request);
            if (error is not null)
            {
                return error;
            }

            var view = await enrolment.EnrolAsync(input!.ClaimCode, input.ResidentId, input.EnrolledBy, ct);
            return Results.Created($"/api/kits/{view.KitId}", view);
        });

        installer.MapPost("/kits/{kitId}/walktest", async (string kitId, KitEnrolment enrolment, CancellationToken ct) =>
            Results.Created($"/api/kits/{kitId}/walktest", await enrolment.StartWalkTestAsync(kitId, ct)));

        installer.MapGet("/kits/{kitId}/walktest", (string kitId, KitEnrolment enrolment) => Results.Ok(enrolment.WalkTest(kitId)));

        installer.MapPost("/kits/{kitId}/walktest/steps/{sensorId}/retry", (string kitId, string sensorId, KitEnrolment enrolment) =>
        {
            enrolment.RetryStep(kitId, sensorId);
            return Results.NoContent();
        });

        installer.MapPost("/kits/{kitId}/golive", async (string kitId, HttpRequest request, KitEnrolment enrolment, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<GoLiveInput>(request);
            if (error is not null)
            {
                return error;
            }

            await enrolment.GoLiveAsync(kitId, input!.By, ct);
            return Results.NoContent();
        });

        installer.MapPost("/kits/{kitId}/replace", async (string kitId, HttpRequest request, KitEnrolment enrolment, CancellationToken ct) =>
        {
            var (input, error) = await ApiInput.ReadBodyAsync<ReplaceInput>(request);
            if (error is not null)
            {
                return error;
            }

            var view = await enrolment.ReplaceAsync(kitId, input!.ClaimCode, input.By, ct);
            return Results.Created($"/api/kits/{view.KitId}", view);
        });
    }
}

/// <summary>Writes a claim answer with the contract's own serialisation (the kit reads it with <see cref="ClaimReader"/>).</summary>
internal sealed class ClaimAnswerResult(PollOutcome outcome) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = outcome.Status;
        httpContext.Response.ContentType = "application/json";
        await httpContext.Response.Body.WriteAsync(ClaimReader.Write(outcome.Answer), httpContext.RequestAborted);
    }
}
