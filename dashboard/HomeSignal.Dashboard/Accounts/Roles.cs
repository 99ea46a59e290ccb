namespace HomeSignal.Dashboard.Accounts;

/// <summary>The roles of the product brief. The values are stored and used as claims; <see cref="Dutch"/> is what people see.</summary>
public static class Roles
{
    public const string Vrijwilliger = "vrijwilliger";
    public const string SociaalWerker = "sociaal-werker";
    public const string Wijkverpleegkundige = "wijkverpleegkundige";
    public const string Installateur = "installateur";
    public const string Beheerder = "beheerder";

    public static readonly IReadOnlyList<string> All = [Vrijwilliger, SociaalWerker, Wijkverpleegkundige, Installateur, Beheerder];

    public static bool IsKnown(string role) => All.Contains(role);

    public static string Dutch(string role) => role switch
    {
        Vrijwilliger => "vrijwilliger",
        SociaalWerker => "sociaal werker / coördinator",
        Wijkverpleegkundige => "wijkverpleegkundige",
        Installateur => "installateur",
        Beheerder => "beheerder",
        _ => role,
    };
}
