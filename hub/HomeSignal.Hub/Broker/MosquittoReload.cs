using System.Globalization;
using System.Runtime.InteropServices;

namespace HomeSignal.Hub.Broker;

/// <summary>
/// Tells a running mosquitto to read its password and ACL files again: SIGHUP to the pid in <c>Broker:MosquittoPidFile</c>.
/// Mosquitto then refuses a revoked kit's next CONNECT and disconnects it if it is connected.
/// </summary>
public sealed class MosquittoReload(BrokerOptions options, ILogger<MosquittoReload> logger)
{
    private const int SigHup = 1;

    public bool Enabled => options.MosquittoPidFile is not null && !OperatingSystem.IsWindows();

    /// <summary>Sends SIGHUP; returns whether mosquitto got it (a missing broker is logged, never thrown: the files are already written).</summary>
    public bool Signal()
    {
        if (!Enabled)
        {
            return false;
        }

        string text;
        try
        {
            text = File.ReadAllText(options.MosquittoPidFile!).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not read mosquitto's pid file {PidFile} ({Message}): it reads the new password and ACL files when it starts.", options.MosquittoPidFile, ex.Message);
            return false;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1)
        {
            logger.LogWarning("Mosquitto's pid file {PidFile} holds '{Text}', not a process id: mosquitto was not told to reload.", options.MosquittoPidFile, text);
            return false;
        }

        if (Kill(pid, SigHup) != 0)
        {
            logger.LogWarning("Could not signal mosquitto (pid {Pid}) to reload: error {Error}. Revoked kits stay allowed until it reloads.", pid, Marshal.GetLastPInvokeError());
            return false;
        }

        logger.LogInformation("Told mosquitto (pid {Pid}) to reload its password and ACL files.", pid);
        return true;
    }

    // DllImport rather than LibraryImport: the hub builds without unsafe code, and kill(2) takes only ints.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
