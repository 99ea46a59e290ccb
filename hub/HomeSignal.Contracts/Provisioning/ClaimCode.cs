using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace HomeSignal.Contracts.Provisioning;

/// <summary>
/// A kit's one-time claim code: 10 characters of Crockford base32 (50 random bits), shown as <c>XXXX-XXXX-XX</c>.
/// Input is case-insensitive; dashes and spaces are ignored, and the look-alikes O, I and L read as 0, 1 and 1 (Crockford).
/// </summary>
public static class ClaimCode
{
    /// <summary>Crockford's alphabet: no I, L, O or U, so a code read aloud or off a label is hard to get wrong.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public const int Length = 10;

    /// <summary>A new random code in display form.</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31]; // 256 is a multiple of 32: no bias
        }

        return Format(new string(chars));
    }

    /// <summary>Normalises typed or scanned input to <c>XXXX-XXXX-XX</c>; false when it is not a claim code.</summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? code)
    {
        code = null;
        if (input is null || input.Length > 64)
        {
            return false;
        }

        var text = new StringBuilder(Length);
        foreach (var c in input)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (!Alphabet.Contains(upper, StringComparison.Ordinal) || text.Length == Length)
            {
                return false;
            }

            text.Append(upper);
        }

        if (text.Length != Length)
        {
            return false;
        }

        code = Format(text.ToString());
        return true;
    }

    public static bool IsValid(string? input) => TryNormalize(input, out _);

    private static string Format(string raw) => $"{raw[..4]}-{raw[4..8]}-{raw[8..]}";
}

/// <summary>The kit's claim secret: 32 random bytes, base64url without padding (43 characters). Never shown.</summary>
public static class ClaimSecret
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static bool IsValid(string? secret) =>
        secret is { Length: 43 } && secret.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
