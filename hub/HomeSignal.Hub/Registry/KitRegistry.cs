using System.Collections.Concurrent;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Storage;
using HomeSignal.Hub.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace HomeSignal.Hub.Registry;

/// <summary>
/// Kits, their credentials (mosquitto-format hashes only) and sensors. Reads come from an in-memory copy, because the
/// broker checks credentials and topics on every connect and publish; writes go to the registry file first.
/// </summary>
public sealed class KitRegistry
{
    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;
    private readonly int _hashIterations;
    private readonly ConcurrentDictionary<string, KitRecord> _kits = new(StringComparer.Ordinal);

    public KitRegistry(RegistryDatabase database, TimeProvider time, int hashIterations)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database.Database;
        _time = time;
        _hashIterations = hashIterations;
        Load();
    }

    /// <summary>Raised after any change to credentials or revocations (the mosquitto files are rewritten on it).</summary>
    public event EventHandler? Changed;

    public IReadOnlyList<KitRecord> All() => [.. _kits.Values.OrderBy(k => k.KitId, StringComparer.Ordinal)];

    public KitRecord? Find(string kitId) => _kits.GetValueOrDefault(kitId);

    public IReadOnlyList<KitRecord> KitsOf(string residentId) =>
        [.. _kits.Values.Where(k => string.Equals(k.ResidentId, residentId, StringComparison.Ordinal)).OrderBy(k => k.KitId, StringComparer.Ordinal)];

    /// <summary>The kit whose username and password match, unless it is revoked.</summary>
    public KitRecord? Authenticate(string? username, string? password)
    {
        if (username is null || !_kits.TryGetValue(username, out var kit) || kit.IsRevoked)
        {
            return null;
        }

        return PasswordHash.Verify(password, kit.PasswordHash) ? kit : null;
    }

    /// <summary>
    /// Registers a kit with a new random password. <paramref name="live"/> false makes it start <c>installing</c> (enrolment);
    /// true (the administrative path for kits installed before provisioning existed) makes it live at once.
    /// </summary>
    public async Task<KitCredentials> CreateAsync(string kitId, string? residentId, IReadOnlyList<SensorRecord> sensors, bool live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        if (!KitId.IsValid(kitId))
        {
            throw new RegistryException(RegistryError.Invalid, "kitId must be 3–64 lower-case letters, digits or dashes (no '+', '#' or '/').");
        }

        foreach (var sensor in sensors)
        {
            if (!KitId.IsValidSensorId(sensor.SensorId))
            {
                throw new RegistryException(RegistryError.Invalid, $"Sensor id '{sensor.SensorId}' must be 1–64 lower-case letters, digits or dashes.");
            }
        }

        if (sensors.Select(s => s.SensorId).Distinct(StringComparer.Ordinal).Count() != sensors.Count)
        {
            throw new RegistryException(RegistryError.Invalid, "Each sensor id may appear once per kit.");
        }

        var password = PasswordHash.NewPassword();
        var hash = PasswordHash.Create(password, _hashIterations);
        var now = SqliteTime.FromMs(SqliteTime.ToMs(_time.GetUtcNow())); // as stored: the same after a restart
        await _db.WriteLock.WaitAsync(cancellationToken);
        try
        {
            using var connection = _db.Open();
            using var transaction = connection.BeginTransaction();
            if (residentId is not null && !Exists(connection, transaction, "SELECT 1 FROM residents WHERE resident_id=$id", residentId))
            {
                throw new RegistryException(RegistryError.NotFound, $"Resident '{residentId}' does not exist.");
            }

            if (Exists(connection, transaction, "SELECT 1 FROM kits WHERE kit_id=$id", kitId))
            {
                throw new RegistryException(RegistryError.Conflict, $"Kit '{kitId}' already exists.");
            }

            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO kits(kit_id, resident_id, username, password_hash, created_at, live_since) VALUES($id, $r, $id, $hash, $now, $live);";
                insert.Parameters.AddWithValue("$id", kitId);
                insert.Parameters.AddWithValue("$live", live ? SqliteTime.ToMs(now) : DBNull.Value);
                insert.Parameters.AddWithValue("$r", (object?)residentId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$hash", hash);
                insert.Parameters.AddWithValue("$now", SqliteTime.ToMs(now));
                insert.ExecuteNonQuery();
            }

            WriteSensors(connection, transaction, kitId, sensors);
            transaction.Commit();
        }
        finally
        {
            _db.WriteLock.Release();
        }

        _kits[kitId] = new KitRecord(kitId, residentId, kitId, hash, now, null, sensors) { LiveSince = live ? now : null };
        Changed?.Invoke(this, EventArgs.Empty);
        return new KitCredentials(kitId, kitId, password);
    }

    /// <summary>Registers a live kit (the administrative path).</summary>
    public Task<KitCredentials> CreateAsync(string kitId, string? residentId, IReadOnlyList<SensorRecord> sensors, CancellationToken cancellationToken) =>
        CreateAsync(kitId, residentId, sensors, live: true, cancellationToken);

    /// <summary>Registers many kits in one transaction (a fleet roll-out, the demo, the benchmark); unbound, no sensors.</summary>
    public async Task<IReadOnlyList<KitCredentials>> CreateManyAsync(IReadOnlyList<string> kitIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kitIds);
        var invalid = kitIds.FirstOrDefault(id => !KitId.IsValid(id) || _kits.ContainsKey(id));
        if (invalid is not null || kitIds.Distinct(StringComparer.Ordinal).Count() != kitIds.Count)
        {
            throw new RegistryException(RegistryError.Invalid, $"Kit id '{invalid}' is invalid, already registered, or listed twice.");
        }

        var now = _time.GetUtcNow();
        var created = kitIds.AsParallel().AsOrdered()
            .Select(id => (Credentials: new KitCredentials(id, id, PasswordHash.NewPassword()), Hash: string.Empty))
            .Select(c => (c.Credentials, Hash: PasswordHash.Create(c.Credentials.Password, _hashIterations)))
            .ToList();
        await _db.WriteLock.WaitAsync(cancellationToken);
        try
        {
            using var connection = _db.Open();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO kits(kit_id, username, password_hash, created_at, live_since) VALUES($id, $id, $hash, $now, $now);";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var hash = insert.Parameters.Add("$hash", SqliteType.Text);
            insert.Parameters.AddWithValue("$now", SqliteTime.ToMs(now));
            foreach (var (credentials, h) in created)
            {
                id.Value = credentials.KitId;
                hash.Value = h;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        finally
        {
            _db.WriteLock.Release();
        }

        foreach (var (credentials, h) in created)
        {
            _kits[credentials.KitId] = new KitRecord(credentials.KitId, null, credentials.Username, h, now, null, []) { LiveSince = now };
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return [.. created.Select(c => c.Credentials)];
    }

    public async Task RevokeAsync(string kitId, CancellationToken cancellationToken)
    {
        var kit = Find(kitId) ?? throw new RegistryException(RegistryError.NotFound, $"Kit '{kitId}' does not exist.");
        if (kit.IsRevoked)
        {
            return;
        }

        var now = _time.GetUtcNow();
        await ExecuteAsync("UPDATE kits SET revoked_at=$now WHERE kit_id=$id;", cancellationToken, ("$id", kitId), ("$now", SqliteTime.ToMs(now)));
        _kits[kitId] = kit with { RevokedAt = now };
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Turns an installing kit live: monitoring on its events starts now.</summary>
    public async Task GoLiveAsync(string kitId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        at = SqliteTime.FromMs(SqliteTime.ToMs(at));
        var kit = Find(kitId) ?? throw new RegistryException(RegistryError.NotFound, $"Kit '{kitId}' does not exist.");
        await ExecuteAsync("UPDATE kits SET live_since=$at WHERE kit_id=$id AND live_since IS NULL;", cancellationToken, ("$id", kitId), ("$at", SqliteTime.ToMs(at)));
        _kits[kitId] = kit with { LiveSince = kit.LiveSince ?? at };
        Changed?.Invoke(this, EventArgs.Empty);
    }

    public async Task BindToResidentAsync(string kitId, string? residentId, CancellationToken cancellationToken)
    {
        var kit = Find(kitId) ?? throw new RegistryException(RegistryError.NotFound, $"Kit '{kitId}' does not exist.");
        await ExecuteAsync("UPDATE kits SET resident_id=$r WHERE kit_id=$id;", cancellationToken, ("$id", kitId), ("$r", (object?)residentId ?? DBNull.Value));
        _kits[kitId] = kit with { ResidentId = residentId };
    }

    public async Task SetSensorsAsync(string kitId, IReadOnlyList<SensorRecord> sensors, CancellationToken cancellationToken)
    {
        var kit = Find(kitId) ?? throw new RegistryException(RegistryError.NotFound, $"Kit '{kitId}' does not exist.");
        await _db.WriteLock.WaitAsync(cancellationToken);
        try
        {
            using var connection = _db.Open();
            using var transaction = connection.BeginTransaction();
            WriteSensors(connection, transaction, kitId, sensors);
            transaction.Commit();
        }
        finally
        {
            _db.WriteLock.Release();
        }

        _kits[kitId] = kit with { Sensors = sensors };
    }

    /// <summary>Forgets kits bound to a resident who is decommissioned: revoked, unbound, their sensors kept for the record.</summary>
    internal void OnResidentDeleted(string residentId, DateTimeOffset now)
    {
        foreach (var kit in KitsOf(residentId))
        {
            _kits[kit.KitId] = kit with { ResidentId = null, RevokedAt = kit.RevokedAt ?? now };
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private static void WriteSensors(SqliteConnection connection, SqliteTransaction transaction, string kitId, IReadOnlyList<SensorRecord> sensors)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM sensors WHERE kit_id=$kit;";
        command.Parameters.AddWithValue("$kit", kitId);
        command.ExecuteNonQuery();
        command.CommandText = "INSERT INTO sensors(kit_id, sensor_id, kind, room, purpose) VALUES($kit, $s, $kind, $room, $purpose);";
        foreach (var sensor in sensors)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$kit", kitId);
            command.Parameters.AddWithValue("$s", sensor.SensorId);
            command.Parameters.AddWithValue("$kind", SensorKinds.ToText(sensor.Kind));
            command.Parameters.AddWithValue("$room", (object?)sensor.Room ?? DBNull.Value);
            command.Parameters.AddWithValue("$purpose", (object?)sensor.Purpose ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction transaction, string sql, string id)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is not null;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await _db.WriteLock.WaitAsync(cancellationToken);
        try
        {
            using var connection = _db.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _db.WriteLock.Release();
        }
    }

    private void Load()
    {
        using var connection = _db.Open();
        AddStageColumn(connection);
        var sensors = new Dictionary<string, List<SensorRecord>>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT kit_id, sensor_id, kind, room, purpose FROM sensors ORDER BY kit_id, sensor_id;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (!sensors.TryGetValue(reader.GetString(0), out var list))
                {
                    sensors[reader.GetString(0)] = list = [];
                }

                list.Add(new SensorRecord(reader.GetString(1), SensorKinds.FromText(reader.GetString(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT kit_id, resident_id, username, password_hash, created_at, revoked_at, live_since FROM kits;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var kitId = reader.GetString(0);
                _kits[kitId] = new KitRecord(kitId, reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    SqliteTime.FromMs(reader.GetInt64(4)), SqliteTime.FromDb(reader, 5),
                    sensors.TryGetValue(kitId, out var list) ? list : [])
                {
                    LiveSince = SqliteTime.FromDb(reader, 6),
                };
            }
        }
    }

    /// <summary>
    /// Registry files from before provisioning have no <c>live_since</c>: their kits were installed by hand and are
    /// live since they were created.
    /// </summary>
    private static void AddStageColumn(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('kits') WHERE name='live_since';";
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1)
        {
            return;
        }

        command.CommandText = "ALTER TABLE kits ADD COLUMN live_since INTEGER NULL; UPDATE kits SET live_since = created_at;";
        command.ExecuteNonQuery();
    }
}
