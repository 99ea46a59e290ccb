using Microsoft.Data.Sqlite;

namespace HomeSignal.Hub.Storage.Sqlite;

/// <summary>
/// Opens connections to one SQLite file: WAL journal, synchronous=FULL (a commit survives a power cut on an SD card),
/// the file readable by the hub's user only (0600), and one writer at a time.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path, string schema)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        if (!File.Exists(Path))
        {
            using (File.Create(Path))
            {
            }
        }

        RestrictToOwner(Path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        EnsureSchema("PRAGMA journal_mode=WAL;" + schema);
        RestrictToOwner(Path + "-wal");
        RestrictToOwner(Path + "-shm");
    }

    public string Path { get; }

    /// <summary>
    /// Creates the tables of a feature that keeps its data in this file; the statements must be idempotent
    /// (<c>CREATE … IF NOT EXISTS</c>), since they run at every start.
    /// </summary>
    public void EnsureSchema(string schema)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = schema;
        command.ExecuteNonQuery();
    }

    /// <summary>Serialises writers: SQLite allows one, and waiting here is cheaper than SQLITE_BUSY retries.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction under the write lock, on a command bound to that transaction,
    /// and commits. Once committing, cancellation is not honoured: a done commit must not be reported as failed.
    /// (Work is synchronous: Microsoft.Data.Sqlite's async calls are synchronous anyway, minus the overhead.)
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteCommand, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await WriteLock.WaitAsync(cancellationToken);
        try
        {
            return InTransaction(work);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>
    /// <see cref="WriteAsync{T}"/> for callers that cannot await (e.g. an observer of stored events); it blocks the
    /// calling thread while another writer holds the lock.
    /// </summary>
    public void Write(Action<SqliteCommand> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        WriteLock.Wait();
        try
        {
            InTransaction(command =>
            {
                work(command);
                return true;
            });
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <inheritdoc cref="WriteAsync{T}"/>
    public Task WriteAsync(Action<SqliteCommand> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync(command =>
        {
            work(command);
            return true;
        }, cancellationToken);
    }

    private T InTransaction<T>(Func<SqliteCommand, T> work)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var result = work(command);
        transaction.Commit();
        return result;
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // wal_autocheckpoint 10000 pages (~40 MB of WAL, default 1000): a checkpoint copies every page changed since
        // the last one, and ingestion rewrites the same few index leaves (one per kit) in every commit, so rarer
        // checkpoints copy them far less often (~20 % less CPU per stored event). Durability is the WAL's, unchanged.
        command.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA wal_autocheckpoint=10000;";
        command.ExecuteNonQuery();
        return connection;
    }

    private static void RestrictToOwner(string file)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(file))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

/// <summary>Times are stored as Unix milliseconds (UTC): compact, sortable, and exact to what the contract carries.</summary>
public static class SqliteTime
{
    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static object ToDb(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static DateTimeOffset? FromDb(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromMs(reader.GetInt64(ordinal));
}
