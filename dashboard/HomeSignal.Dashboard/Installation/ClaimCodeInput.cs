namespace HomeSignal.Dashboard.Installation;

/// <summary>
/// A kit's claim code as typed or scanned, read by the contract's own rules (<see cref="Contracts.Provisioning.ClaimCode"/>):
/// case, dashes and spaces do not matter, O reads as 0 and I/L as 1; shown as <c>XXXX-XXXX-XX</c>.
/// </summary>
public static class ClaimCodeInput
{
    /// <summary>The code in its printed form, or null when the input cannot be a claim code.</summary>
    public static string? Normalize(string? input) =>
        Contracts.Provisioning.ClaimCode.TryNormalize(input?.Trim(), out var code) ? code : null;
}
