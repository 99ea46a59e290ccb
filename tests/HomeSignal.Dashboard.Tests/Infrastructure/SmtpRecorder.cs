using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HomeSignal.Dashboard.Tests.Infrastructure;

public sealed record RecordedMail(string From, IReadOnlyList<string> To, string Data);

/// <summary>
/// A tiny SMTP server on 127.0.0.1 with a free port that accepts every message and records it (EHLO/HELO, MAIL, RCPT,
/// DATA, RSET, NOOP, QUIT; no TLS, no auth). Enough for MailKit with SecureSocketOptions.None.
/// </summary>
public sealed class SmtpRecorder : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;

    public SmtpRecorder()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public ConcurrentQueue<RecordedMail> Messages { get; } = new();

    /// <summary>Waits (bounded) until at least <paramref name="count"/> messages arrived.</summary>
    public async Task<IReadOnlyList<RecordedMail>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Messages.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return [.. Messages];
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the loop this way.
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            sessions.Add(ServeAsync(client));
            sessions.RemoveAll(s => s.IsCompleted);
        }

        await Task.WhenAll(sessions);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost SmtpRecorder");
        string from = string.Empty;
        var to = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "MAIL":
                        from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.AppendLine(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine);
                        }

                        Messages.Enqueue(new RecordedMail(from, [.. to], data.ToString()));
                        to.Clear();
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    case "HELO" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the recorder is stopping.
        }
    }
}
