using HomeSignal.Dashboard.Accounts;

namespace HomeSignal.Dashboard.Pages;

/// <summary>
/// The forms to choose a resident's vast aanspreekpunt (<c>_Aanspreekpunt</c>): take the resident on yourself
/// (<paramref name="TakeOn"/>, only when nobody is responsible yet) and/or give them to a colleague.
/// </summary>
public sealed record ContactChoice(string ResidentId, string ResidentName, bool TakeOn, IReadOnlyList<DashboardUser> Colleagues);
