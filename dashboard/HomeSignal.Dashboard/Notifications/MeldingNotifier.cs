using System.Net.Http.Json;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Storage;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HomeSignal.Dashboard.Notifications;

/// <summary>
/// Tells the owner of an urgent melding by e-mail (SMTP, MailKit) and optionally a webhook. Messages carry no name,
/// address or behaviour: only that there is a melding and a link; the details are behind the log-in (least disclosure).
/// Returns whether every configured channel accepted the message, so the planner can retry later.
/// </summary>
public sealed class MeldingNotifier(IOptions<SmtpOptions> smtp, IOptions<NotificationOptions> notifications, IOptions<DashboardOptions> dashboard,
    UserStore users, IHttpClientFactory httpFactory, ILogger<MeldingNotifier> logger)
{
    public async Task<bool> NotifyAsync(OutreachTask melding, CancellationToken ct)
    {
        var ok = true;
        var link = $"{(dashboard.Value.PublicUrl ?? string.Empty).TrimEnd('/')}/Taak/{melding.Id}";
        var owner = melding.Owner is null ? null : users.Find(melding.Owner);
        if (!string.IsNullOrWhiteSpace(smtp.Value.Host) && owner?.Email is { Length: > 0 } email)
        {
            ok &= await SendMailAsync(email, owner.DisplayName, melding, link, ct);
        }

        if (!string.IsNullOrWhiteSpace(notifications.Value.WebhookUrl))
        {
            ok &= await PostWebhookAsync(melding, link, ct);
        }

        return ok;
    }

    private async Task<bool> SendMailAsync(string to, string name, OutreachTask melding, string link, CancellationToken ct)
    {
        var options = smtp.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(new MailboxAddress(name, to));
        message.Subject = $"HomeSignal: urgente melding #{melding.Id}";
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Beste {name},

                Er staat een urgente melding voor u klaar (melding #{melding.Id}).
                Wilt u deze zo snel mogelijk oppakken? Open het dashboard:
                {link}

                Wordt de melding niet binnen de afgesproken tijd opgepakt, dan gaat hij naar de volgende persoon.

                HomeSignal
                """,
        };
        try
        {
            using var client = new SmtpClient();
            var security = options.Security switch
            {
                "None" => SecureSocketOptions.None,
                "SslOnConnect" => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(options.Host!, options.Port, security, ct);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await client.AuthenticateAsync(options.Username, options.Password ?? string.Empty, ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("E-mail for melding {TaskId} to {To} failed, will retry: {Error}", melding.Id, to, e.Message);
            return false;
        }
    }

    private async Task<bool> PostWebhookAsync(OutreachTask melding, string link, CancellationToken ct)
    {
        try
        {
            using var http = httpFactory.CreateClient(nameof(MeldingNotifier));
            using var response = await http.PostAsJsonAsync(notifications.Value.WebhookUrl,
                new { type = "urgente-melding", taskId = melding.Id, residentId = melding.ResidentId, owner = melding.Owner, link }, ct);
            response.EnsureSuccessStatusCode();
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Webhook for melding {TaskId} failed, will retry: {Error}", melding.Id, e.Message);
            return false;
        }
    }
}
