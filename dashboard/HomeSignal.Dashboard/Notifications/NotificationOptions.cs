using System.ComponentModel.DataAnnotations;

namespace HomeSignal.Dashboard.Notifications;

/// <summary>Config section "Smtp". Without a Host, no e-mail is sent (the melding is still on the dashboard).</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>"StartTls" (default), "SslOnConnect", or "None" (only for a local relay or tests).</summary>
    [RegularExpression("^(StartTls|SslOnConnect|None)$", ErrorMessage = "Smtp:Security must be StartTls, SslOnConnect or None.")]
    public string Security { get; set; } = "StartTls";

    public string? Username { get; set; }

    public string? Password { get; set; }

    [EmailAddress(ErrorMessage = "Smtp:From must be an e-mail address.")]
    public string From { get; set; } = "homesignal@localhost";
}

/// <summary>Config section "Notifications".</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Optional: urgent meldingen are also POSTed here as JSON (without personal details).</summary>
    [Url(ErrorMessage = "Notifications:WebhookUrl must be an absolute URL.")]
    public string? WebhookUrl { get; set; }
}
