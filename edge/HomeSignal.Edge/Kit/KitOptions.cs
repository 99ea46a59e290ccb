using HomeSignal.Contracts.Topics;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Kit;

/// <summary>Configuration section <c>Kit</c>: who this kit is and where it keeps its data.</summary>
public sealed class KitOptions
{
    public const string Section = "Kit";

    /// <summary>Pseudonymous kit id (3–64 lower-case letters, digits, dashes); also the MQTT client id.</summary>
    public string KitId { get; set; } = string.Empty;

    /// <summary>Holds the outbox and the clean-shutdown marker; created with mode 0700.</summary>
    public string DataDirectory { get; set; } = string.Empty;
}

/// <summary>Checks <see cref="KitOptions"/>; in claim mode the kit id is not required (the hub assigns it).</summary>
internal sealed class KitOptionsValidator(bool kitIdRequired = true) : IValidateOptions<KitOptions>
{
    public ValidateOptionsResult Validate(string? name, KitOptions options)
    {
        var errors = new List<string>();
        if (!kitIdRequired && string.IsNullOrWhiteSpace(options.KitId))
        {
            // Claim mode: the kit id comes with the enrolment.
        }
        else if (string.IsNullOrWhiteSpace(options.KitId))
        {
            errors.Add("Kit:KitId is missing: set the pseudonymous kit id the hub registered for this kit (e.g. kit-7f3a), or set Provisioning:HubUrl (without Mqtt credentials) so the kit enrols itself with a claim code.");
        }
        else if (!KitId.IsValid(options.KitId))
        {
            errors.Add($"Kit:KitId '{options.KitId}' is invalid: use 3–64 lower-case letters, digits or dashes, starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Kit:DataDirectory is missing: set the directory for the outbox (e.g. /var/lib/homesignal-edge).");
        }
        else if (!Path.IsPathFullyQualified(options.DataDirectory))
        {
            errors.Add($"Kit:DataDirectory '{options.DataDirectory}' must be an absolute path.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
