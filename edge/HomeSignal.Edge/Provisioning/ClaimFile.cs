using System.Text.Json;
using HomeSignal.Contracts.Provisioning;

namespace HomeSignal.Edge.Provisioning;

/// <summary>The kit's claim: code, secret and when it was made. Kept in <c>claim.json</c> (0600) and reused across restarts.</summary>
public sealed record Claim(string Code, string Secret, DateTimeOffset CreatedAt);

/// <summary>Reads, makes and forgets <c>claim.json</c> in the kit's data directory.</summary>
public sealed class ClaimFile(string dataDirectory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path { get; } = System.IO.Path.Combine(dataDirectory, "claim.json");

    /// <summary>The stored claim, or null when there is none or it cannot be read (a new one is made then).</summary>
    public Claim? Read()
    {
        try
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            var claim = JsonSerializer.Deserialize<Claim>(File.ReadAllBytes(Path), Json);
            return claim is not null && ClaimCode.IsValid(claim.Code) && ClaimSecret.IsValid(claim.Secret) ? claim : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return null;
        }
    }

    public Claim New(DateTimeOffset now)
    {
        var claim = new Claim(ClaimCode.New(), ClaimSecret.New(), now);
        PrivateFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(claim, Json));
        return claim;
    }

    public void Delete()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}
