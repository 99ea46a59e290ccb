using HomeSignal.Dashboard.Outreach;

namespace HomeSignal.Dashboard.Pages;

public sealed record OutcomeForm(OutreachTask Task, string ReturnUrl);
