namespace HomeSignal.Dashboard.Installation;

/// <summary>
/// A kit's claim code as typed or scanned: 10 characters of Crockford base32, shown as <c>XXXX-XXXX-XX</c>.
/// Case, dashes and spaces do not matter; O reads as 0 and I/L as 1 (Crockford), so a misread label still works.
/// </summary>
public static class ClaimCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 10;

    /// <summary>The code in its printed form, or null when the input cannot be a claim code.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return null;
        }

        var chars = new List<char>(Length);
        foreach (var raw in input.Trim())
        {
            if (raw is '-' or ' ')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            chars.Add(c);
        }

        if (chars.Count != Length)
        {
            return null;
        }

        var text = new string([.. chars]);
        return $"{text[..4]}-{text[4..8]}-{text[8..]}";
    }
}
