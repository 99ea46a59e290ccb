using System.Net;
using HomeSignal.Contracts.Provisioning;

namespace HomeSignal.Edge.Provisioning;

/// <summary>What one poll of the hub came to.</summary>
public abstract record PollResult
{
    public sealed record Waiting(TimeSpan RetryAfter) : PollResult;

    public sealed record Enrolled(ClaimAnswer Answer) : PollResult;

    /// <summary>The hub refused the code for good (used, expired, bound to another kit): make a new one.</summary>
    public sealed record Refused(string Code, string Detail) : PollResult;

    /// <summary>Try again after a backoff (hub unreachable, 429, 5xx, an answer that is not valid).</summary>
    public sealed record Failed(string Reason) : PollResult;
}

/// <summary>One <c>POST /provisioning/claims</c> to the hub; every outcome is a <see cref="PollResult"/>, never an exception.</summary>
public sealed class ClaimClient(HttpClient http) : IDisposable
{
    public void Dispose() => http.Dispose();

    public async Task<PollResult> PollAsync(ClaimPoll poll, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        byte[] body;
        try
        {
            using var content = new ByteArrayContent(ClaimReader.Write(poll));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            response = await http.PostAsync(new Uri("provisioning/claims", UriKind.Relative), content, cancellationToken);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new PollResult.Failed($"the hub is not reachable: {ex.Message}");
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.Accepted:
                    var answer = ClaimReader.ReadAnswer(body);
                    if (!answer.IsValid)
                    {
                        return new PollResult.Failed($"the hub's answer is not valid: {answer.Error}");
                    }

                    return answer.Value!.Status == ClaimStatuses.Enrolled
                        ? new PollResult.Enrolled(answer.Value)
                        : new PollResult.Waiting(TimeSpan.FromSeconds(answer.Value.RetryAfterSeconds ?? 10));
                case HttpStatusCode.Gone or HttpStatusCode.Conflict:
                    var problem = ClaimReader.ReadProblem(body);
                    return new PollResult.Refused(problem?.Code ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), problem?.Detail ?? "refused");
                default:
                    var other = ClaimReader.ReadProblem(body);
                    return new PollResult.Failed($"{(int)response.StatusCode} {other?.Code} {other?.Detail}".Trim());
            }
        }
    }
}
