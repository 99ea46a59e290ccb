using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>Items as the ingestion pipeline takes them from the broker, for tests of the pipeline and its acks.</summary>
internal static class IngestItems
{
    /// <summary>The boot id of every item made here.</summary>
    public static string Boot { get; } = Guid.NewGuid().ToString("N");

    /// <summary>A valid front-door opening of <paramref name="kitId"/>, taken at and received at <paramref name="at"/>.</summary>
    public static IngestItem Door(string kitId, long seq, DateTimeOffset at, Func<CancellationToken, Task>? settle = null) => new(
        kitId,
        new EventToStore(new SensorEvent
        {
            KitId = kitId,
            BootId = Boot,
            Seq = seq,
            SensorId = "door-front",
            Kind = SensorKind.Door,
            State = SensorStates.Open,
            Ts = at,
            ClockSynced = true,
        }, at),
        null,
        settle ?? IngestItem.NothingToSettle);
}
