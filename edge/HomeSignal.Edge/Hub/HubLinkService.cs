using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Hub;

/// <summary>Keeps the broker link up (timer + ping, backoff with jitter) and runs the outbox publisher beside it.</summary>
internal sealed class HubLinkService(
    HubConnection hub,
    EventPublisher publisher,
    HubInstructions instructions,
    IOptions<MqttOptions> options,
    TimeProvider time) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = instructions; // constructed here so it listens to the link from the first connect
        return Task.WhenAll(KeepConnectedAsync(stoppingToken), publisher.RunAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await hub.DisconnectGracefullyAsync(cancellationToken);
    }

    private async Task KeepConnectedAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var backoff = new Backoff(TimeSpan.FromSeconds(o.BackoffInitialSeconds), TimeSpan.FromSeconds(o.BackoffMaxSeconds), Random.Shared);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan next;
            if (await hub.EnsureConnectedAsync(stoppingToken))
            {
                backoff.Reset();
                next = TimeSpan.FromSeconds(o.ConnectionCheckSeconds);
            }
            else
            {
                next = backoff.Next();
            }

            await Task.Delay(next, time, stoppingToken);
        }
    }
}
