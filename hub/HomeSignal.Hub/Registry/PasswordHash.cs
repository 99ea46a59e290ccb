using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HomeSignal.Hub.Registry;

/// <summary>
/// Kit password hashes in mosquitto 2.0's own format, <c>$7$iterations$salt$hash</c> (PBKDF2-HMAC-SHA512, 12-byte
/// salt, 64-byte hash, base64): the embedded broker verifies against it and the mosquitto password file is written from
/// it, so the hub never keeps a kit's plain password.
/// </summary>
public static class PasswordHash
{
    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    public static string Create(string password, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"$7${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool Verify(string? password, string? encoded)
    {
        if (password is null || encoded is null)
        {
            return false;
        }

        var parts = encoded.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0 || parts[1] != "7"
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        byte[] salt;
        byte[] expected;
        try
        {
            salt = Convert.FromBase64String(parts[3]);
            expected = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A random password for a new kit: 24 random bytes, URL-safe base64 (no characters that need quoting).</summary>
    public static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
