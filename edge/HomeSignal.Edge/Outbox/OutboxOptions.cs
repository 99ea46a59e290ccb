using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Outbox;

/// <summary>
/// Configuration section <c>Outbox</c>. The defaults hold well over 72 hours of a busy household: a household with five
/// sensors rarely exceeds 1,500 events an hour (108,000 in 72 h); 250,000 events of ~300 bytes fit in 64 MiB.
/// </summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    public long CapacityEvents { get; set; } = 250_000;

    public long CapacityBytes { get; set; } = 64L * 1024 * 1024;
}

internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var errors = new List<string>();
        if (options.CapacityEvents < 100)
        {
            errors.Add($"Outbox:CapacityEvents is {options.CapacityEvents}; it must be at least 100.");
        }

        if (options.CapacityBytes < 64 * 1024)
        {
            errors.Add($"Outbox:CapacityBytes is {options.CapacityBytes}; it must be at least 65536.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
