namespace HomeSignal.Hub.Registry;

public enum RegistryError
{
    NotFound,
    Conflict,
    Invalid,
}

/// <summary>A registry request that cannot be done as asked; the message says why in words (it becomes a problem detail).</summary>
public sealed class RegistryException(RegistryError error, string message) : Exception(message)
{
    public RegistryError Error { get; } = error;
}
