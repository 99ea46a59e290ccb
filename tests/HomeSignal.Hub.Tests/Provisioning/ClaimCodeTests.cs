using HomeSignal.Contracts.Provisioning;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>Claim codes: format, normalisation of what people type or scan, and randomness.</summary>
public sealed class ClaimCodeTests
{
    [Fact]
    public void A_new_code_is_ten_crockford_characters_in_groups_of_four_four_two()
    {
        var code = ClaimCode.New();

        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$", code);
        Assert.True(ClaimCode.IsValid(code));
    }

    [Theory]
    [InlineData("7k3m-q9tx-2b", "7K3M-Q9TX-2B")]
    [InlineData("7K3MQ9TX2B", "7K3M-Q9TX-2B")]
    [InlineData(" 7K3M Q9TX 2B ", "7K3M-Q9TX-2B")]
    [InlineData("oi1l-0000-00", "0111-0000-00")]
    public void Typed_codes_are_normalised_case_insensitively_ignoring_dashes_and_spaces(string typed, string expected)
    {
        Assert.True(ClaimCode.TryNormalize(typed, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7K3M-Q9TX-2")]
    [InlineData("7K3M-Q9TX-2BB")]
    [InlineData("7K3M-Q9TX-2U")]
    [InlineData("7K3M_Q9TX_2B")]
    [InlineData("7K3M-Q9TX-2B?")]
    public void Anything_else_is_not_a_claim_code(string? typed) => Assert.False(ClaimCode.TryNormalize(typed, out _));

    [Fact]
    public void Codes_are_random_unique_and_use_the_whole_alphabet()
    {
        var codes = Enumerable.Range(0, 20_000).Select(_ => ClaimCode.New()).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        var counts = codes.SelectMany(c => c.Replace("-", string.Empty, StringComparison.Ordinal)).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(32, counts.Count);
        // 200,000 characters over 32 symbols: 6,250 each expected; a biased generator would stray far from it.
        Assert.All(counts.Values, n => Assert.InRange(n, 5_500, 7_000));
    }

    [Fact]
    public void Claim_secrets_are_43_base64url_characters_and_unique()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => ClaimSecret.New()).ToList();

        Assert.All(secrets, s => Assert.True(ClaimSecret.IsValid(s), s));
        Assert.Equal(1000, secrets.Distinct(StringComparer.Ordinal).Count());
        Assert.False(ClaimSecret.IsValid("too-short"));
    }
}
