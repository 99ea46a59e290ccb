using HomeSignal.Dashboard.Notifications;

namespace HomeSignal.Dashboard.Outreach;

public static class OutreachExtensions
{
    public static WebApplicationBuilder AddOutreach(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BelrondeOptions>().Bind(builder.Configuration.GetSection(BelrondeOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Belronde:TimeZone is not a known time zone id (e.g. Europe/Amsterdam).")
            .Validate(o => string.CompareOrdinal(o.ListReadyAt, o.RoundStartsAt) <= 0, "Belronde:ListReadyAt must not be after Belronde:RoundStartsAt.")
            .ValidateOnStart();
        builder.Services.AddOptions<OutreachOptions>().Bind(builder.Configuration.GetSection(OutreachOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SmtpOptions>().Bind(builder.Configuration.GetSection(SmtpOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<NotificationOptions>().Bind(builder.Configuration.GetSection(NotificationOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(nameof(MeldingNotifier), http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<LocalClock>();
        builder.Services.AddSingleton<TaskStore>();
        builder.Services.AddSingleton<Caseload>();
        builder.Services.AddSingleton<LabelOutbox>();
        builder.Services.AddSingleton<MeldingNotifier>();
        builder.Services.AddSingleton<OutreachPlanner>();
        builder.Services.AddSingleton<TaskActions>();
        builder.Services.AddSingleton<BelrondeList>();
        builder.Services.AddHostedService<OutreachWorker>();

        return builder;
    }
}
