namespace HomeSignal.Edge.Provisioning;

/// <summary>Writes secrets into the data directory: mode 0600 from creation, flushed to disk, replaced atomically.</summary>
internal static class PrivateFile
{
    public static void Write(string path, byte[] content)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static void Write(string path, string content) => Write(path, System.Text.Encoding.UTF8.GetBytes(content));
}
