namespace HomeSignal.Dashboard.Accounts;

/// <summary>
/// <c>create-admin --username NAME (--password-file FILE | env HOMESIGNAL_ADMIN_PASSWORD) [--display-name TEXT]</c>:
/// creates a beheerder. There is no default account; this is how the first one comes to be.
/// </summary>
public static class AdminCommand
{
    public const string Verb = "create-admin";
    public const string PasswordVariable = "HOMESIGNAL_ADMIN_PASSWORD";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>Removes the command's own arguments so the rest can go to configuration.</summary>
    public static string[] ConfigurationArgs(string[] args)
    {
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] is "--username" or "--password-file" or "--display-name")
            {
                i++;
                continue;
            }

            rest.Add(args[i]);
        }

        return [.. rest];
    }

    public static int Run(string[] args, UserStore users, TextWriter output)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var username = Value("--username");
        var passwordFile = Value("--password-file");
        var password = passwordFile is not null
            ? (File.Exists(passwordFile) ? File.ReadAllText(passwordFile).TrimEnd('\r', '\n') : null)
            : Environment.GetEnvironmentVariable(PasswordVariable);
        if (username is null || password is null)
        {
            output.WriteLine($"Usage: {Verb} --username NAME --password-file FILE (or set {PasswordVariable}). The password file must exist.");
            return 2;
        }

        try
        {
            var user = users.Create(username, Value("--display-name") ?? username, Roles.Beheerder, password);
            output.WriteLine($"Beheerder '{user.Username}' created.");
            return 0;
        }
        catch (ArgumentException e)
        {
            output.WriteLine(e.Message);
            return 1;
        }
    }
}
