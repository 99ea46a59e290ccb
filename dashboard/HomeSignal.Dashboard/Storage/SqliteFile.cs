using Microsoft.Data.Sqlite;

namespace HomeSignal.Dashboard.Storage;

/// <summary>
/// One SQLite file in WAL mode with synchronous=FULL (a commit must survive a power cut on an SD card),
/// created with mode 0600 because it holds personal data.
/// </summary>
public sealed class SqliteFile
{
    private readonly string connectionString;

    public SqliteFile(string path, string schema)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        if (!File.Exists(Path))
        {
            using (File.Create(Path))
            {
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true }.ToString();
        using var connection = Open();
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        wal.ExecuteNonQuery();
        using var create = connection.CreateCommand();
        create.CommandText = schema;
        create.ExecuteNonQuery();
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}

/// <summary>Small helpers that keep the stores' SQL readable.</summary>
public static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? NullableTime(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(reader.GetString(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static string Iso(this DateTimeOffset time) => time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
