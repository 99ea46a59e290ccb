using System.Security.Cryptography;
using System.Text;
using HomeSignal.Dashboard.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Audit;

public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Role, string Action, string? ResidentId, string Detail, string Hash);

public sealed record AuditVerification(bool Intact, long Entries, long? FirstBrokenId);

/// <summary>
/// Who viewed or did what, about whom, when. Kept in its own SQLite file (audit.db), apart from event and task data, and
/// tamper-evident: each entry's hash covers its fields and the previous entry's hash, so an edited or removed entry breaks the chain.
/// </summary>
public sealed class AuditLog
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,
            action TEXT NOT NULL, resident_id TEXT, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        """;

    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private readonly SqliteFile file;
    private readonly TimeProvider time;
    private readonly Lock gate = new();

    public AuditLog(IOptions<DashboardOptions> options, TimeProvider time)
    {
        file = new SqliteFile(Path.Combine(options.Value.DataPath, "audit.db"), Schema);
        this.time = time;
    }

    public string FilePath => file.Path;

    public void Record(string actor, string role, string action, string? residentId, string detail = "")
    {
        // One writer at a time keeps the chain linear.
        lock (gate)
        {
            using var connection = file.Open();
            using var transaction = connection.BeginTransaction();
            using var last = connection.Command("SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
            last.Transaction = transaction;
            var previous = last.ExecuteScalar() as string ?? Genesis;
            var at = time.GetUtcNow().Iso();
            var hash = Hash(previous, at, actor, role, action, residentId, detail);
            using var insert = connection.Command(
                "INSERT INTO audit (at, actor, role, action, resident_id, detail, prev_hash, hash) VALUES ($at, $a, $r, $ac, $res, $d, $p, $h)",
                ("$at", at), ("$a", actor), ("$r", role), ("$ac", action), ("$res", residentId), ("$d", detail), ("$p", previous), ("$h", hash));
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public IReadOnlyList<AuditEntry> Recent(int limit = 200, string? residentId = null)
    {
        using var connection = file.Open();
        using var command = connection.Command(
            "SELECT id, at, actor, role, action, resident_id, detail, hash FROM audit WHERE ($res IS NULL OR resident_id = $res) ORDER BY id DESC LIMIT $l",
            ("$res", residentId), ("$l", limit));
        using var reader = command.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
        {
            entries.Add(new AuditEntry(reader.GetInt64(0), reader.Time(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.NullableString(5), reader.GetString(6), reader.GetString(7)));
        }

        return entries;
    }

    /// <summary>Walks the whole chain; reports the first entry whose hash or link does not match.</summary>
    public AuditVerification Verify()
    {
        using var connection = file.Open();
        using var command = connection.Command("SELECT id, at, actor, role, action, resident_id, detail, prev_hash, hash FROM audit ORDER BY id");
        using var reader = command.ExecuteReader();
        var previous = Genesis;
        long count = 0;
        while (reader.Read())
        {
            count++;
            var expected = Hash(previous, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.NullableString(5), reader.GetString(6));
            if (reader.GetString(7) != previous || reader.GetString(8) != expected)
            {
                return new AuditVerification(false, count, reader.GetInt64(0));
            }

            previous = expected;
        }

        return new AuditVerification(true, count, null);
    }

    private static string Hash(string previous, string at, string actor, string role, string action, string? residentId, string detail)
    {
        // Length-prefixed fields so that moving text between fields changes the hash.
        var text = new StringBuilder();
        foreach (var field in new[] { previous, at, actor, role, action, residentId ?? "-", detail })
        {
            text.Append(field.Length).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
