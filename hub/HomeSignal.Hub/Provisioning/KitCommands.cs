using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Ingestion;

namespace HomeSignal.Hub.Provisioning;

/// <summary>Sends the <c>walk-test</c> command (active true/false) to a kit through the hub's MQTT link.</summary>
public sealed class KitCommands(HubMqttConnection link, TimeProvider time, ILogger<KitCommands> logger)
{
    public async Task<bool> WalkTestAsync(string kitId, bool active, CancellationToken cancellationToken)
    {
        var command = new KitCommand
        {
            KitId = kitId,
            CommandId = Guid.NewGuid().ToString("N"),
            Name = KitCommandNames.WalkTest,
            Ts = time.GetUtcNow(),
            Arguments = new Dictionary<string, string> { ["active"] = active.ToString(CultureInfo.InvariantCulture).ToLowerInvariant() },
        };
        try
        {
            if (await link.SendCommandAsync(command, cancellationToken))
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Sending the walk-test command to kit {Kit} failed.", kitId);
            return false;
        }

        // The walk test still runs on the events the kit sends; the command only tells the kit an installer is there.
        logger.LogWarning("The walk-test command to kit {Kit} was not sent: the hub is not connected to the broker.", kitId);
        return false;
    }
}
