using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Ingestion;

/// <summary>
/// One event message on its way to the store: either an event to store, or a rejection to report back to the kit.
/// <see cref="Settle"/> acknowledges the MQTT message to the broker; it is called only after the durable write.
/// </summary>
public sealed record IngestItem(string KitId, EventToStore? Event, RejectedEvent? Rejection, Func<CancellationToken, Task> Settle)
{
    public static readonly Func<CancellationToken, Task> NothingToSettle = _ => Task.CompletedTask;
}
