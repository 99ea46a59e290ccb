using HomeSignal.Dashboard.Storage;
using Microsoft.AspNetCore.Identity;

namespace HomeSignal.Dashboard.Accounts;

public sealed record DashboardUser(string Username, string DisplayName, string Role, string? Email, bool Active);

/// <summary>
/// Users and their roles in the dashboard's SQLite file. Passwords are hashed with PBKDF2 (ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/>); there are no default users or passwords. The demo creates users through this class.
/// </summary>
public sealed class UserStore(DashboardDatabase database, TimeProvider time)
{
    public const int MinimumPasswordLength = 12;
    private readonly PasswordHasher<string> hasher = new();

    /// <summary>Creates a user. Throws <see cref="ArgumentException"/> with a Dutch message for bad input.</summary>
    public DashboardUser Create(string username, string displayName, string role, string password, string? email = null)
    {
        username = (username ?? string.Empty).Trim().ToLowerInvariant();
        if (username.Length is < 2 or > 64 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new ArgumentException("De gebruikersnaam moet 2 tot 64 tekens zijn: letters, cijfers, punt, streepje of liggend streepje.", nameof(username));
        }

        if (!Roles.IsKnown(role))
        {
            throw new ArgumentException($"Onbekende rol '{role}'. Kies uit: {string.Join(", ", Roles.All)}.", nameof(role));
        }

        if (string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength)
        {
            throw new ArgumentException($"Het wachtwoord moet minstens {MinimumPasswordLength} tekens lang zijn.", nameof(password));
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            displayName = username;
        }

        using var connection = database.File.Open();
        using var command = connection.Command(
            "INSERT INTO users (username, display_name, role, email, password_hash, created_at) VALUES ($u, $d, $r, $e, $h, $c)",
            ("$u", username), ("$d", displayName.Trim()), ("$r", role), ("$e", string.IsNullOrWhiteSpace(email) ? null : email.Trim()),
            ("$h", hasher.HashPassword(username, password)), ("$c", time.GetUtcNow().Iso()));
        try
        {
            command.ExecuteNonQuery();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new ArgumentException($"De gebruikersnaam '{username}' bestaat al.", nameof(username), e);
        }

        return new DashboardUser(username, displayName.Trim(), role, email, true);
    }

    /// <summary>Checks a password; null when the user is unknown, inactive or the password is wrong.</summary>
    public DashboardUser? Verify(string username, string password)
    {
        username = (username ?? string.Empty).Trim().ToLowerInvariant();
        using var connection = database.File.Open();
        using var command = connection.Command(
            "SELECT username, display_name, role, email, active, password_hash FROM users WHERE username = $u", ("$u", username));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            // Hash anyway so that unknown and known users take the same time.
            hasher.HashPassword(username, password ?? string.Empty);
            return null;
        }

        var user = Read(reader);
        var result = hasher.VerifyHashedPassword(username, reader.GetString(5), password ?? string.Empty);
        return user.Active && result != PasswordVerificationResult.Failed ? user : null;
    }

    public DashboardUser? Find(string username)
    {
        using var connection = database.File.Open();
        using var command = connection.Command(
            "SELECT username, display_name, role, email, active FROM users WHERE username = $u", ("$u", username));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public IReadOnlyList<DashboardUser> List(string? role = null)
    {
        using var connection = database.File.Open();
        using var command = connection.Command(
            "SELECT username, display_name, role, email, active FROM users WHERE ($r IS NULL OR role = $r) ORDER BY username", ("$r", role));
        using var reader = command.ExecuteReader();
        var users = new List<DashboardUser>();
        while (reader.Read())
        {
            users.Add(Read(reader));
        }

        return users;
    }

    /// <summary>Someone leaves: the account can no longer sign in, and the planner hands their open tasks on.</summary>
    public bool Deactivate(string username)
    {
        using var connection = database.File.Open();
        using var command = connection.Command("UPDATE users SET active = 0 WHERE username = $u", ("$u", username));
        return command.ExecuteNonQuery() == 1;
    }

    public bool AnyAdmin() => List(Roles.Beheerder).Any(u => u.Active);

    private static DashboardUser Read(Microsoft.Data.Sqlite.SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.NullableString(3), reader.GetInt64(4) == 1);
}
