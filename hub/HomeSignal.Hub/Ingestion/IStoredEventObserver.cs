using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Ingestion;

/// <summary>
/// Told of each batch's newly stored events after the durable write (e.g. the installer's walk test). Observers run
/// before the acks go out, so they must be quick and must not throw; a failing observer is logged and never costs an event.
/// </summary>
public interface IStoredEventObserver
{
    void OnStored(IReadOnlyList<EventToStore> stored);
}
