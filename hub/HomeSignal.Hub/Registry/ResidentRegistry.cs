using System.Security.Cryptography;
using HomeSignal.Hub.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace HomeSignal.Hub.Registry;

/// <summary>Residents with their personal details, consent per purpose, labels on signals and context periods.</summary>
public sealed class ResidentRegistry(RegistryDatabase database, KitRegistry kits, TimeProvider time)
{
    private readonly SqliteDatabase _db = database.Database;
    private long _labelsVersion;
    private long _contextVersion;

    public async Task<Resident> CreateAsync(string displayName, string? phone, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 200)
        {
            throw new RegistryException(RegistryError.Invalid, "displayName is required and at most 200 characters.");
        }

        if (phone is not null && (phone.Length > 40 || !phone.All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '(' or ')')))
        {
            throw new RegistryException(RegistryError.Invalid, "phone may hold at most 40 digits, spaces and + - ( ).");
        }

        var resident = new Resident("r-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), displayName.Trim(), phone, time.GetUtcNow(), null);
        await WriteAsync(command =>
        {
            command.CommandText = "INSERT INTO residents(resident_id, display_name, phone, created_at) VALUES($id, $name, $phone, $now);";
            command.Parameters.AddWithValue("$id", resident.ResidentId);
            command.Parameters.AddWithValue("$name", resident.DisplayName);
            command.Parameters.AddWithValue("$phone", (object?)phone ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", SqliteTime.ToMs(resident.CreatedAt));
        }, cancellationToken);
        return resident;
    }

    public async Task<IReadOnlyList<Resident>> AllAsync(CancellationToken cancellationToken) =>
        await ReadResidentsAsync(null, cancellationToken);

    public async Task<Resident?> FindAsync(string residentId, CancellationToken cancellationToken) =>
        (await ReadResidentsAsync(residentId, cancellationToken)) is [var first, ..] ? first : null;

    public async Task<Resident> RequireAsync(string residentId, CancellationToken cancellationToken) =>
        await FindAsync(residentId, cancellationToken) ?? throw new RegistryException(RegistryError.NotFound, $"Resident '{residentId}' does not exist.");

    public async Task SetConsentAsync(string residentId, Consent consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        if (string.IsNullOrWhiteSpace(consent.RecordedBy))
        {
            throw new RegistryException(RegistryError.Invalid, "recordedBy is required: consent is recorded by a named person.");
        }

        await RequireAsync(residentId, cancellationToken);
        var at = consent.RecordedAt ?? time.GetUtcNow();
        await WriteAsync(command =>
        {
            // Monitoring starts (and learning days count) once there is consent to monitoring and a live kit.
            command.CommandText = """
                INSERT OR REPLACE INTO consent(resident_id, monitoring, share_with_nurse, belronde, recorded_by, recorded_at)
                VALUES($id, $m, $n, $b, $by, $at);
                """ + StartMonitoringSql;
            command.Parameters.AddWithValue("$id", residentId);
            command.Parameters.AddWithValue("$m", consent.Monitoring ? 1 : 0);
            command.Parameters.AddWithValue("$n", consent.ShareWithNurse ? 1 : 0);
            command.Parameters.AddWithValue("$b", consent.Belronde ? 1 : 0);
            command.Parameters.AddWithValue("$by", consent.RecordedBy);
            command.Parameters.AddWithValue("$at", SqliteTime.ToMs(at));
        }, cancellationToken);
    }

    /// <summary>
    /// Sets <c>monitoringSince</c> to <paramref name="at"/> when it is not set yet and the resident has both consent to
    /// monitoring and a live kit (the go-live of their first kit, or consent given later).
    /// </summary>
    public Task StartMonitoringIfReadyAsync(string residentId, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(command =>
        {
            command.CommandText = StartMonitoringSql;
            command.Parameters.AddWithValue("$id", residentId);
            command.Parameters.AddWithValue("$at", SqliteTime.ToMs(at));
        }, cancellationToken);

    private const string StartMonitoringSql = """
        UPDATE residents SET monitoring_since = COALESCE(monitoring_since, $at)
        WHERE resident_id = $id
          AND EXISTS (SELECT 1 FROM consent c WHERE c.resident_id = $id AND c.monitoring = 1)
          AND EXISTS (SELECT 1 FROM kits k WHERE k.resident_id = $id AND k.live_since IS NOT NULL AND k.revoked_at IS NULL);
        """;

    /// <summary>The recorded consent, or all purposes refused when nothing was recorded yet.</summary>
    public async Task<Consent> GetConsentAsync(string residentId, CancellationToken cancellationToken)
    {
        await RequireAsync(residentId, cancellationToken);
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT monitoring, share_with_nurse, belronde, recorded_by, recorded_at FROM consent WHERE resident_id=$id;";
        command.Parameters.AddWithValue("$id", residentId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Consent(reader.GetInt64(0) != 0, reader.GetInt64(1) != 0, reader.GetInt64(2) != 0, reader.GetString(3), SqliteTime.FromMs(reader.GetInt64(4)))
            : new Consent(false, false, false, null, null);
    }

    public async Task AddLabelAsync(string residentId, Label label, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (!RegistryVocabulary.LabelOutcomes.Contains(label.Outcome))
        {
            throw new RegistryException(RegistryError.Invalid, $"outcome must be one of {string.Join(", ", RegistryVocabulary.LabelOutcomes)}.");
        }

        if (string.IsNullOrWhiteSpace(label.SignalId) || string.IsNullOrWhiteSpace(label.RecordedBy))
        {
            throw new RegistryException(RegistryError.Invalid, "signalId and recordedBy are required.");
        }

        await RequireAsync(residentId, cancellationToken);
        await WriteAsync(command =>
        {
            command.CommandText = "INSERT INTO labels(resident_id, signal_id, outcome, note, recorded_by, recorded_at) VALUES($id, $s, $o, $note, $by, $at);";
            command.Parameters.AddWithValue("$id", residentId);
            command.Parameters.AddWithValue("$s", label.SignalId);
            command.Parameters.AddWithValue("$o", label.Outcome);
            command.Parameters.AddWithValue("$note", (object?)label.Note ?? DBNull.Value);
            command.Parameters.AddWithValue("$by", label.RecordedBy);
            command.Parameters.AddWithValue("$at", SqliteTime.ToMs(label.RecordedAt));
        }, cancellationToken);
        Interlocked.Increment(ref _labelsVersion);
    }

    /// <summary>Grows whenever any resident gets a label, so readers can keep labels cached until one is added.</summary>
    public long LabelsVersion => Interlocked.Read(ref _labelsVersion);

    public async Task<IReadOnlyList<Label>> LabelsAsync(string residentId, CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT signal_id, outcome, note, recorded_by, recorded_at FROM labels WHERE resident_id=$id ORDER BY recorded_at, id;";
        command.Parameters.AddWithValue("$id", residentId);
        var result = new List<Label>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new Label(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), SqliteTime.FromMs(reader.GetInt64(4))));
        }

        return result;
    }

    public async Task AddContextAsync(string residentId, ContextPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (!RegistryVocabulary.ContextKinds.Contains(period.Kind))
        {
            throw new RegistryException(RegistryError.Invalid, $"kind must be one of {string.Join(", ", RegistryVocabulary.ContextKinds)}.");
        }

        if (period.To is { } to && to < period.From)
        {
            throw new RegistryException(RegistryError.Invalid, "to must not be before from.");
        }

        await RequireAsync(residentId, cancellationToken);
        await WriteAsync(command =>
        {
            command.CommandText = "INSERT INTO context_periods(resident_id, kind, from_ts, to_ts, note, inferred) VALUES($id, $k, $f, $t, $n, $i);";
            command.Parameters.AddWithValue("$id", residentId);
            command.Parameters.AddWithValue("$k", period.Kind);
            command.Parameters.AddWithValue("$f", SqliteTime.ToMs(period.From));
            command.Parameters.AddWithValue("$t", SqliteTime.ToDb(period.To));
            command.Parameters.AddWithValue("$n", (object?)period.Note ?? DBNull.Value);
            command.Parameters.AddWithValue("$i", period.Inferred ? 1 : 0);
        }, cancellationToken);
        Interlocked.Increment(ref _contextVersion);
    }

    /// <summary>Grows whenever any resident gets a context period, so readers can keep context cached until then.</summary>
    public long ContextVersion => Interlocked.Read(ref _contextVersion);

    public async Task<IReadOnlyList<ContextPeriod>> ContextAsync(string residentId, CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, from_ts, to_ts, note, inferred FROM context_periods WHERE resident_id=$id ORDER BY from_ts, id;";
        command.Parameters.AddWithValue("$id", residentId);
        var result = new List<ContextPeriod>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ContextPeriod(reader.GetString(0), SqliteTime.FromMs(reader.GetInt64(1)), SqliteTime.FromDb(reader, 2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4) != 0));
        }

        return result;
    }

    /// <summary>
    /// Deletes the resident's registry data (personal details, consent, labels, context, signals) and revokes and
    /// unbinds their kits. Event data is deleted by the caller from every event store.
    /// </summary>
    public async Task DeleteAsync(string residentId, CancellationToken cancellationToken)
    {
        await RequireAsync(residentId, cancellationToken);
        var now = time.GetUtcNow();
        await WriteAsync(command =>
        {
            command.CommandText = """
                UPDATE kits SET revoked_at = COALESCE(revoked_at, $now), resident_id = NULL WHERE resident_id = $id;
                DELETE FROM signals WHERE resident_id = $id;
                DELETE FROM residents WHERE resident_id = $id;
                """;
            command.Parameters.AddWithValue("$id", residentId);
            command.Parameters.AddWithValue("$now", SqliteTime.ToMs(now));
        }, cancellationToken);
        kits.OnResidentDeleted(residentId, now);
    }

    private async Task<IReadOnlyList<Resident>> ReadResidentsAsync(string? residentId, CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT resident_id, display_name, phone, created_at, monitoring_since FROM residents"
            + (residentId is null ? " ORDER BY created_at, resident_id;" : " WHERE resident_id=$id;");
        if (residentId is not null)
        {
            command.Parameters.AddWithValue("$id", residentId);
        }

        var result = new List<Resident>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new Resident(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                SqliteTime.FromMs(reader.GetInt64(3)), SqliteTime.FromDb(reader, 4)));
        }

        return result;
    }

    private async Task WriteAsync(Action<SqliteCommand> prepare, CancellationToken cancellationToken)
    {
        await _db.WriteLock.WaitAsync(cancellationToken);
        try
        {
            using var connection = _db.Open();
            using var command = connection.CreateCommand();
            prepare(command);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _db.WriteLock.Release();
        }
    }
}
