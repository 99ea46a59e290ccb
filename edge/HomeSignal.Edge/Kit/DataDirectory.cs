using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Kit;

/// <summary>The kit's private data directory (0700) and the clean-shutdown marker that tells a restart from a power loss.</summary>
public sealed class DataDirectory
{
    private const string CleanShutdownMarker = "clean-shutdown";

    public DataDirectory(IOptions<KitOptions> options)
    {
        Path = options.Value.DataDirectory;
    }

    public string Path { get; }

    public string OutboxPath => System.IO.Path.Combine(Path, "outbox.db");

    public void Ensure()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
            return;
        }

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(Path, Private);
        // An existing directory keeps whatever mode it was given; the outbox holds behaviour data, so tighten it.
        if (File.GetUnixFileMode(Path) != Private)
        {
            File.SetUnixFileMode(Path, Private);
        }
    }

    /// <summary>Reads and removes the marker: true when the previous run stopped cleanly.</summary>
    public bool ConsumeCleanShutdownMarker()
    {
        var marker = System.IO.Path.Combine(Path, CleanShutdownMarker);
        if (!File.Exists(marker))
        {
            return false;
        }

        File.Delete(marker);
        return true;
    }

    public void WriteCleanShutdownMarker()
    {
        var marker = System.IO.Path.Combine(Path, CleanShutdownMarker);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(marker, options);
        stream.Write("clean"u8);
        stream.Flush(flushToDisk: true);
    }
}
