using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Hub.Api;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace HomeSignal.Hub.Provisioning;

/// <summary>Where a claim is in its life. Expiry is worked out from the times, so it needs no sweeper.</summary>
public static class ClaimStates
{
    public const string Waiting = "waiting";
    public const string Enrolled = "enrolled";
    public const string Collected = "collected";
    public const string Expired = "expired";
}

/// <summary>What <see cref="ClaimStore.InsertAsync"/> did with a first poll.</summary>
public enum ClaimInsert
{
    Inserted,

    /// <summary>Another poll for the same code got there first.</summary>
    Known,

    /// <summary>Refused: <see cref="ProvisioningOptions.MaxWaitingClaims"/> claims wait already.</summary>
    Full,
}

/// <summary>
/// One claim as the hub keeps it: hashes of the code and the secret (never the code itself), what the kit reported,
/// and once enrolled the kit, the resident and — only until the kit collected it — the kit's password.
/// </summary>
public sealed record ClaimRecord(
    string CodeHash,
    string SecretHash,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    string SoftwareVersion,
    IReadOnlyList<ClaimSensor> Sensors,
    string? KitId,
    string? ResidentId,
    string? EnrolledBy,
    DateTimeOffset? EnrolledAt,
    DateTimeOffset? CollectedAt,
    string? Password)
{
    public string StateAt(DateTimeOffset now, ProvisioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (CollectedAt is not null)
        {
            return ClaimStates.Collected;
        }

        if (EnrolledAt is { } enrolled)
        {
            return now >= enrolled + options.CollectLifetime ? ClaimStates.Expired : ClaimStates.Enrolled;
        }

        return now >= FirstSeen + options.ClaimLifetime ? ClaimStates.Expired : ClaimStates.Waiting;
    }
}

/// <summary>Claims in the registry file (0600, WAL, synchronous=FULL), next to the kits they become.</summary>
public sealed class ClaimStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS claims(
            code_hash TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
            software_version TEXT NOT NULL, sensors_json TEXT NOT NULL, kit_id TEXT NULL, resident_id TEXT NULL,
            enrolled_by TEXT NULL, enrolled_at INTEGER NULL, collected_at INTEGER NULL, password TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_claims_resident ON claims(resident_id);
        CREATE INDEX IF NOT EXISTS ix_claims_kit ON claims(kit_id);
        CREATE INDEX IF NOT EXISTS ix_claims_waiting ON claims(first_seen) WHERE enrolled_at IS NULL;
        """;

    private const string Columns = "code_hash, secret_hash, first_seen, last_seen, software_version, sensors_json, kit_id, resident_id, enrolled_by, enrolled_at, collected_at, password";

    private readonly SqliteDatabase _db;

    public ClaimStore(RegistryDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database.Database;
        _db.EnsureSchema(Schema);
    }

    /// <summary>SHA-256 of the normalised code or of the secret: the registry never holds either in the clear.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public async Task<ClaimRecord?> FindAsync(string codeHash, CancellationToken cancellationToken) =>
        (await ReadAsync("WHERE code_hash=$p", codeHash, cancellationToken)) is [var first, ..] ? first : null;

    public Task<IReadOnlyList<ClaimRecord>> OfResidentAsync(string residentId, CancellationToken cancellationToken) =>
        ReadAsync("WHERE resident_id=$p", residentId, cancellationToken);

    public async Task<ClaimRecord?> OfKitAsync(string kitId, CancellationToken cancellationToken) =>
        (await ReadAsync("WHERE kit_id=$p", kitId, cancellationToken)) is [var first, ..] ? first : null;

    /// <summary>Claims waiting for enrolment that first reported after <paramref name="firstSeenAfter"/> (i.e. not expired).</summary>
    public async Task<long> CountWaitingAsync(DateTimeOffset firstSeenAfter, CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM claims WHERE enrolled_at IS NULL AND first_seen > $after;";
        command.Parameters.AddWithValue("$after", SqliteTime.ToMs(firstSeenAfter));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Records a first poll unless the code is known already or <paramref name="maxWaiting"/> unexpired claims (first
    /// seen after <paramref name="waitingSince"/>) wait for enrolment. Check and insert share one write transaction, so
    /// concurrent first polls cannot overshoot the cap.
    /// </summary>
    public Task<ClaimInsert> InsertAsync(ClaimRecord claim, DateTimeOffset waitingSince, int maxWaiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return _db.WriteAsync(command =>
        {
            command.CommandText = "SELECT COUNT(*) FROM claims WHERE code_hash=$c;";
            command.Parameters.AddWithValue("$c", claim.CodeHash);
            if ((long)command.ExecuteScalar()! > 0)
            {
                return ClaimInsert.Known;
            }

            command.CommandText = "SELECT COUNT(*) FROM claims WHERE enrolled_at IS NULL AND first_seen > $after;";
            command.Parameters.AddWithValue("$after", SqliteTime.ToMs(waitingSince));
            if ((long)command.ExecuteScalar()! >= maxWaiting)
            {
                return ClaimInsert.Full;
            }

            command.CommandText = "INSERT INTO claims(code_hash, secret_hash, first_seen, last_seen, software_version, sensors_json) VALUES($c, $s, $f, $f, $v, $j);";
            command.Parameters.AddWithValue("$s", claim.SecretHash);
            command.Parameters.AddWithValue("$f", SqliteTime.ToMs(claim.FirstSeen));
            command.Parameters.AddWithValue("$v", claim.SoftwareVersion);
            command.Parameters.AddWithValue("$j", JsonSerializer.Serialize(claim.Sensors, ApiInput.Json));
            command.ExecuteNonQuery();
            return ClaimInsert.Inserted;
        }, cancellationToken);
    }

    /// <summary>Deletes claims never enrolled that first reported at or before <paramref name="firstSeenUntil"/>; returns how many.</summary>
    public Task<int> DeleteExpiredWaitingAsync(DateTimeOffset firstSeenUntil, CancellationToken cancellationToken) =>
        _db.WriteAsync(command =>
        {
            command.CommandText = "DELETE FROM claims WHERE enrolled_at IS NULL AND first_seen <= $until;";
            command.Parameters.AddWithValue("$until", SqliteTime.ToMs(firstSeenUntil));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Enrolled claims whose kit never collected its credentials, enrolled at or before <paramref name="enrolledUntil"/>.</summary>
    public Task<IReadOnlyList<ClaimRecord>> UncollectedAsync(DateTimeOffset enrolledUntil, CancellationToken cancellationToken) =>
        ReadAsync("WHERE enrolled_at IS NOT NULL AND collected_at IS NULL AND enrolled_at <= $p", SqliteTime.ToMs(enrolledUntil), cancellationToken);

    /// <summary>
    /// Forgets the password of an enrolment that will never be collected. False when the kit collected it meanwhile:
    /// this and <see cref="CollectAsync"/> share the write lock and each needs the other not to have happened.
    /// </summary>
    public Task<bool> ForgetUncollectedPasswordAsync(string codeHash, CancellationToken cancellationToken) =>
        _db.WriteAsync(command =>
        {
            command.CommandText = "UPDATE claims SET password=NULL WHERE code_hash=$c AND collected_at IS NULL;";
            command.Parameters.AddWithValue("$c", codeHash);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <summary>A later poll: when it was seen, and the kit's latest software and sensors (until enrolment fixes them).</summary>
    public Task TouchAsync(string codeHash, DateTimeOffset at, string softwareVersion, IReadOnlyList<ClaimSensor> sensors, CancellationToken cancellationToken) =>
        _db.WriteAsync(command =>
        {
            command.CommandText = """
                UPDATE claims SET last_seen=$at, software_version=$v,
                    sensors_json = CASE WHEN enrolled_at IS NULL THEN $j ELSE sensors_json END
                WHERE code_hash=$c;
                """;
            command.Parameters.AddWithValue("$c", codeHash);
            command.Parameters.AddWithValue("$at", SqliteTime.ToMs(at));
            command.Parameters.AddWithValue("$v", softwareVersion);
            command.Parameters.AddWithValue("$j", JsonSerializer.Serialize(sensors, ApiInput.Json));
            command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Binds a waiting claim to its new kit. False when it was enrolled meanwhile.</summary>
    public Task<bool> EnrolAsync(string codeHash, string kitId, string residentId, string enrolledBy, string password, DateTimeOffset at, CancellationToken cancellationToken) =>
        _db.WriteAsync(command =>
        {
            command.CommandText = """
                UPDATE claims SET kit_id=$k, resident_id=$r, enrolled_by=$by, enrolled_at=$at, password=$pw
                WHERE code_hash=$c AND enrolled_at IS NULL;
                """;
            command.Parameters.AddWithValue("$c", codeHash);
            command.Parameters.AddWithValue("$k", kitId);
            command.Parameters.AddWithValue("$r", residentId);
            command.Parameters.AddWithValue("$by", enrolledBy);
            command.Parameters.AddWithValue("$pw", password);
            command.Parameters.AddWithValue("$at", SqliteTime.ToMs(at));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <summary>Marks the claim collected and forgets the password. False when it was collected already (exactly once).</summary>
    public Task<bool> CollectAsync(string codeHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        _db.WriteAsync(command =>
        {
            command.CommandText = "UPDATE claims SET collected_at=$at, last_seen=$at, password=NULL WHERE code_hash=$c AND collected_at IS NULL AND enrolled_at IS NOT NULL AND password IS NOT NULL;";
            command.Parameters.AddWithValue("$c", codeHash);
            command.Parameters.AddWithValue("$at", SqliteTime.ToMs(at));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <summary>Deletes the claims of a decommissioned resident and of their kits.</summary>
    public Task DeleteForResidentAsync(string residentId, IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kitIds);
        return _db.WriteAsync(command =>
        {
            command.CommandText = "DELETE FROM claims WHERE resident_id=$r;";
            command.Parameters.AddWithValue("$r", residentId);
            command.ExecuteNonQuery();
            command.CommandText = "DELETE FROM claims WHERE kit_id=$k;";
            var kit = command.Parameters.Add("$k", SqliteType.Text);
            foreach (var id in kitIds)
            {
                kit.Value = id;
                command.ExecuteNonQuery();
            }
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<ClaimRecord>> ReadAsync(string where, object parameter, CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM claims {where};";
        command.Parameters.AddWithValue("$p", parameter);
        var result = new List<ClaimRecord>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ClaimRecord(
                reader.GetString(0),
                reader.GetString(1),
                SqliteTime.FromMs(reader.GetInt64(2)),
                SqliteTime.FromMs(reader.GetInt64(3)),
                reader.GetString(4),
                JsonSerializer.Deserialize<List<ClaimSensor>>(reader.GetString(5), ApiInput.Json) ?? [],
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                SqliteTime.FromDb(reader, 9),
                SqliteTime.FromDb(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetString(11)));
        }

        return result;
    }
}
