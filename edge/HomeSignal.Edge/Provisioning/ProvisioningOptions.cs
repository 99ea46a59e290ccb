using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Provisioning;

/// <summary>
/// Configuration section <c>Provisioning</c>: where a kit without credentials enrols itself with a claim code.
/// A kit with neither <c>Mqtt</c> credentials nor <see cref="HubUrl"/> does not start (there are no default credentials).
/// </summary>
public sealed class ProvisioningOptions
{
    public const string Section = "Provisioning";

    /// <summary>The hub's web address (e.g. https://hub.wijk.nl); the kit polls <c>{HubUrl}/provisioning/claims</c>.</summary>
    public string? HubUrl { get; set; }

    /// <summary>The dashboard's enrolment page; the label's QR code opens <c>{EnrolUrl}?code=XXXX-XXXX-XX</c>. Unset: the QR holds the bare code.</summary>
    public string? EnrolUrl { get; set; }

    /// <summary>After this long the kit makes a new code and label (the hub expires codes on its own clock too).</summary>
    public TimeSpan ClaimCodeLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Backoff between failed polls (hub unreachable, 429, 5xx).</summary>
    public double PollBackoffInitialSeconds { get; set; } = 5;

    public double PollBackoffMaxSeconds { get; set; } = 300;
}

internal sealed class ProvisioningOptionsValidator : IValidateOptions<ProvisioningOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvisioningOptions o)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(o.HubUrl, UriKind.Absolute, out var hub) || hub.Scheme is not ("http" or "https"))
        {
            errors.Add($"Provisioning:HubUrl '{o.HubUrl}' must be an absolute http(s) address of the hub, e.g. https://hub.example.nl.");
        }

        if (!string.IsNullOrWhiteSpace(o.EnrolUrl) && !Uri.TryCreate(o.EnrolUrl, UriKind.Absolute, out _))
        {
            errors.Add($"Provisioning:EnrolUrl '{o.EnrolUrl}' must be an absolute address (the dashboard's enrolment page).");
        }

        if (o.ClaimCodeLifetime < TimeSpan.FromMinutes(1))
        {
            errors.Add("Provisioning:ClaimCodeLifetime must be at least one minute.");
        }

        if (!(o.PollBackoffInitialSeconds > 0) || !(o.PollBackoffMaxSeconds >= o.PollBackoffInitialSeconds))
        {
            errors.Add("Provisioning:PollBackoffInitialSeconds must be above 0 and Provisioning:PollBackoffMaxSeconds at least as large.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
