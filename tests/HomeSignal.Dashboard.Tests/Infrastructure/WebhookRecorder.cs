using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeSignal.Dashboard.Tests.Infrastructure;

/// <summary>Records the bodies POSTed to /hook on 127.0.0.1 with a free port.</summary>
public sealed class WebhookRecorder : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookRecorder(WebApplication app) => this.app = app;

    public ConcurrentQueue<string> Bodies { get; } = new();

    public string Url { get; private set; } = string.Empty;

    public static async Task<WebhookRecorder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var recorder = new WebhookRecorder(builder.Build());
        recorder.app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            recorder.Bodies.Enqueue(await reader.ReadToEndAsync());
            return Results.NoContent();
        });
        await recorder.app.StartAsync();
        recorder.Url = recorder.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return recorder;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
