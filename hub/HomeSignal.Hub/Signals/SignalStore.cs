using System.Text.Json;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Sqlite;

namespace HomeSignal.Hub.Signals;

/// <summary>
/// Stores signals in the registry file (they name residents, so they live with the personal data, not with events).
/// Detection and the kit-health watchdog write here; the API reads.
/// </summary>
public sealed class SignalStore(RegistryDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteDatabase _db = database.Database;

    /// <summary>Inserts a signal or replaces the one with the same id (raising it again updates it).</summary>
    public async Task UpsertAsync(Signal signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!SignalVocabulary.Kinds.Contains(signal.Kind) || !SignalVocabulary.Layers.Contains(signal.Layer) || !SignalVocabulary.Severities.Contains(signal.Severity))
        {
            throw new ArgumentException($"Signal '{signal.SignalId}' has an unknown kind, layer or severity.", nameof(signal));
        }

        await _db.WriteLock.WaitAsync(cancellationToken);
        try
        {
            using var connection = _db.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO signals(signal_id, resident_id, kind, layer, severity, raised_at, updated_at, resolved_at, body_json)
                VALUES($id, $r, $kind, $layer, $sev, $raised, $updated, $resolved, $body);
                """;
            command.Parameters.AddWithValue("$id", signal.SignalId);
            command.Parameters.AddWithValue("$r", (object?)signal.ResidentId ?? DBNull.Value);
            command.Parameters.AddWithValue("$kind", signal.Kind);
            command.Parameters.AddWithValue("$layer", signal.Layer);
            command.Parameters.AddWithValue("$sev", signal.Severity);
            command.Parameters.AddWithValue("$raised", SqliteTime.ToMs(signal.RaisedAt));
            command.Parameters.AddWithValue("$updated", SqliteTime.ToMs(signal.UpdatedAt));
            command.Parameters.AddWithValue("$resolved", SqliteTime.ToDb(signal.ResolvedAt));
            command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(signal, Json));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _db.WriteLock.Release();
        }
    }

    public async Task<Signal?> FindAsync(string signalId, CancellationToken cancellationToken) =>
        (await ReadAsync("signal_id = $a", "$a", signalId, cancellationToken)) is [var first, ..] ? first : null;

    /// <summary>Signals raised or updated at or after <paramref name="since"/>, oldest first.</summary>
    public Task<IReadOnlyList<Signal>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadAsync("updated_at >= $a", "$a", SqliteTime.ToMs(since), cancellationToken);

    /// <summary>One resident's signals raised in [from, to), oldest first.</summary>
    public async Task<IReadOnlyList<Signal>> ForResidentAsync(string residentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var all = await ReadAsync("resident_id = $a", "$a", residentId, cancellationToken);
        return [.. all.Where(s => s.RaisedAt >= from && s.RaisedAt < to)];
    }

    private async Task<IReadOnlyList<Signal>> ReadAsync(string where, string name, object value, CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT body_json FROM signals WHERE {where} ORDER BY updated_at, signal_id;";
        command.Parameters.AddWithValue(name, value);

        var result = new List<Signal>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize<Signal>(reader.GetString(0), Json) is { } signal)
            {
                result.Add(signal);
            }
        }

        return result;
    }
}
