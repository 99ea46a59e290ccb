using System.Security.Cryptography;
using HomeSignal.Dashboard.Accounts;

namespace HomeSignal.Demo;

/// <summary>A demo log-in per role. Passwords are random per run: there are no default passwords, not even in the demo.</summary>
public sealed record DemoUser(string Username, string DisplayName, string Role, string Password);

public static class DemoUsers
{
    public static IReadOnlyList<DemoUser> Create() =>
    [
        New("anna", "Anna de Wit", Roles.Vrijwilliger),
        New("bert", "Bert Kok", Roles.Vrijwilliger),
        New("sanne", "Sanne Peters", Roles.SociaalWerker),
        New("noor", "Noor El Amrani", Roles.Wijkverpleegkundige),
        New("nina", "Nina Hendriks", Roles.Wijkverpleegkundige),
        New("ivo", "Ivo Janssen", Roles.Installateur),
        New("beheer", "Beheerder", Roles.Beheerder),
    ];

    private static DemoUser New(string username, string name, string role) =>
        new(username, name, role, $"{username}-{RandomNumberGenerator.GetHexString(10, lowercase: true)}");
}
