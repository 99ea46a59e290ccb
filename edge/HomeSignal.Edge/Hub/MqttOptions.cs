using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Hub;

/// <summary>
/// Configuration section <c>Mqtt</c>: the broker and this kit's own credentials. There are no defaults for credentials:
/// <see cref="Username"/> + <see cref="Password"/> always (the kit's identity, which the hub can revoke), and with TLS
/// also <see cref="ClientCertificatePath"/> + <see cref="ClientKeyPath"/> (proof that the hub's CA issued this kit a certificate).
/// </summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    public string Host { get; set; } = string.Empty;

    public int Port { get; set; } = 8883;

    public bool UseTls { get; set; } = true;

    /// <summary>PEM file with the hub's CA: the broker's certificate must chain to it alone (unset: the system store decides).</summary>
    public string? CaCertificatePath { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>PEM client certificate (per kit, from the hub CA) for mutual TLS, presented together with the password.</summary>
    public string? ClientCertificatePath { get; set; }

    public string? ClientKeyPath { get; set; }

    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>How often the link is checked with a ping while connected.</summary>
    public int ConnectionCheckSeconds { get; set; } = 5;

    public double BackoffInitialSeconds { get; set; } = 1;

    public double BackoffMaxSeconds { get; set; } = 60;

    /// <summary>Published events without a hub ack after this long are sent again (the hub de-duplicates).</summary>
    public int AckTimeoutSeconds { get; set; } = 30;

    /// <summary>After a refused publish (no subscribers, not authorised), wait this long before trying again.</summary>
    public int RetrySeconds { get; set; } = 10;

    /// <summary>Published but not yet acknowledged events at most.</summary>
    public int MaxInFlight { get; set; } = 200;

    /// <summary>QoS 1 publishes awaiting their PUBACK at once.</summary>
    public int PublishPipeline { get; set; } = 16;
}

internal sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Host))
        {
            errors.Add("Mqtt:Host is missing: set the hub's broker host name.");
        }

        if (o.Port is < 1 or > 65535)
        {
            errors.Add($"Mqtt:Port is {o.Port}; use 1–65535.");
        }

        if (!string.IsNullOrWhiteSpace(o.ClientCertificatePath))
        {
            if (!o.UseTls)
            {
                errors.Add("Mqtt:UseTls must be true when Mqtt:ClientCertificatePath is set.");
            }

            if (!File.Exists(o.ClientCertificatePath))
            {
                errors.Add($"Mqtt:ClientCertificatePath '{o.ClientCertificatePath}' does not exist.");
            }

            if (string.IsNullOrWhiteSpace(o.ClientKeyPath))
            {
                errors.Add("Mqtt:ClientKeyPath is missing: the client certificate needs its private key (PEM).");
            }
            else if (!File.Exists(o.ClientKeyPath))
            {
                errors.Add($"Mqtt:ClientKeyPath '{o.ClientKeyPath}' does not exist.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(o.ClientKeyPath))
        {
            errors.Add("Mqtt:ClientKeyPath is set without Mqtt:ClientCertificatePath.");
        }

        // The password is the kit's identity (revocation removes it); a client certificate comes in addition, never instead.
        if (string.IsNullOrWhiteSpace(o.Username))
        {
            errors.Add("Mqtt:Username is missing: every kit has its own credentials (no defaults); set Mqtt:Username and Mqtt:Password (with TLS, Mqtt:ClientCertificatePath and Mqtt:ClientKeyPath come in addition), or set Provisioning:HubUrl so the kit enrols itself with a claim code.");
        }

        if (string.IsNullOrEmpty(o.Password))
        {
            errors.Add("Mqtt:Password is missing: every kit has its own credentials (no defaults); set Mqtt:Password (e.g. in /etc/homesignal/edge.json), together with Mqtt:Username.");
        }

        if (!string.IsNullOrWhiteSpace(o.CaCertificatePath) && !File.Exists(o.CaCertificatePath))
        {
            errors.Add($"Mqtt:CaCertificatePath '{o.CaCertificatePath}' does not exist.");
        }

        Range(errors, "Mqtt:KeepAliveSeconds", o.KeepAliveSeconds, 5, 3600);
        Range(errors, "Mqtt:ConnectionCheckSeconds", o.ConnectionCheckSeconds, 1, 3600);
        Range(errors, "Mqtt:AckTimeoutSeconds", o.AckTimeoutSeconds, 1, 3600);
        Range(errors, "Mqtt:RetrySeconds", o.RetrySeconds, 1, 3600);
        Range(errors, "Mqtt:MaxInFlight", o.MaxInFlight, 1, 10_000);
        Range(errors, "Mqtt:PublishPipeline", o.PublishPipeline, 1, 1000);
        if (!(o.BackoffInitialSeconds > 0) || !(o.BackoffMaxSeconds >= o.BackoffInitialSeconds))
        {
            errors.Add("Mqtt:BackoffInitialSeconds must be above 0 and Mqtt:BackoffMaxSeconds at least as large.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} is {value}; use {min}–{max}.");
        }
    }
}
