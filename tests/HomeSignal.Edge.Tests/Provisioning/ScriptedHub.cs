using System.Collections.Concurrent;
using System.Net;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Testing.Servers;

namespace HomeSignal.Edge.Tests.Provisioning;

/// <summary>
/// A stand-in for the hub's claim endpoint on a real HTTP listener: records every poll the kit makes and answers with
/// whatever the test scripts (waiting by default). The end-to-end test uses the real hub instead.
/// </summary>
public sealed class ScriptedHub : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ScriptedHub()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = ServeAsync();
    }

    public string Url { get; }

    public ConcurrentQueue<ClaimPoll> Polls { get; } = new();

    /// <summary>Decides the answer to each poll: status code and body. Default: 202 waiting, retry after 1 s.</summary>
    public Func<ClaimPoll, (int Status, byte[] Body)> Answer { get; set; } = _ => Waiting();

    public static (int, byte[]) Waiting() =>
        (202, ClaimReader.Write(new ClaimAnswer { Status = ClaimStatuses.Waiting, RetryAfterSeconds = 1 }));

    public static (int, byte[]) Problem(int status, string code) =>
        (status, System.Text.Encoding.UTF8.GetBytes($$"""{"type":"about:blank","title":"Gone","status":{{status}},"detail":"scripted {{code}}","code":"{{code}}"}"""));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopped.
        }

        _listener.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var poll = ClaimReader.ReadPoll(body.ToArray());
            var (status, answer) = poll.IsValid ? Answer(poll.Value!) : Problem(400, ClaimProblemCodes.InvalidClaim);
            if (poll.IsValid)
            {
                Polls.Enqueue(poll.Value!);
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }
}
