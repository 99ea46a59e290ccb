namespace HomeSignal.Testing.Servers;

/// <summary>
/// Locates a program from a Debian package. A missing program fails the test with a message that says how to get it:
/// tests never skip silently because a server is missing.
/// </summary>
public static class RequiredTool
{
    public static string Find(string program, string debianPackage)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/usr/bin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{program}' was not found. Install Debian's '{debianPackage}' package (the README's test command, ./tests/test.sh, does this), then run the tests again.");
    }
}
