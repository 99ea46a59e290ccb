using System.Text;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Registry;

namespace HomeSignal.Hub.Broker;

/// <summary>
/// Writes mosquitto's password file (the kits' <c>$7$</c> hashes as kept in the registry, revoked kits left out) and a
/// deny-by-default ACL file. Files are replaced atomically; mosquitto reads them again on SIGHUP, which the hub sends
/// after every write when <c>Broker:MosquittoPidFile</c> is set (see <see cref="MosquittoReload"/>).
/// </summary>
public sealed class MosquittoFiles(BrokerOptions options, KitRegistry kits, MosquittoReload reload, ILogger<MosquittoFiles> logger)
{
    private readonly Lock _gate = new();

    public bool Enabled => options.MosquittoPasswordFile is not null && options.MosquittoAclFile is not null;

    public void Write()
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var active = kits.All().Where(k => !k.IsRevoked && KitId.IsValid(k.Username)).ToList();
            var hubHash = PasswordHash.Create(options.Password!, options.PasswordHashIterations);
            var passwords = new StringBuilder();
            passwords.Append(options.Username).Append(':').Append(hubHash).Append('\n');
            foreach (var kit in active)
            {
                passwords.Append(kit.Username).Append(':').Append(kit.PasswordHash).Append('\n');
            }

            WriteAtomically(options.MosquittoPasswordFile!, passwords.ToString());
            WriteAtomically(options.MosquittoAclFile!, Acl(options.Username!, active));
            logger.LogInformation("Wrote mosquitto password and ACL files for {Kits} active kits.", active.Count);
            reload.Signal();
        }
    }

    /// <summary>The ACL text: the hub may use the whole kit tree; each kit only its own topics. Anything unlisted is denied.</summary>
    public static string Acl(string hubUsername, IEnumerable<KitRecord> activeKits)
    {
        ArgumentNullException.ThrowIfNull(activeKits);
        var acl = new StringBuilder();
        acl.Append("# Written by the HomeSignal hub; edits are overwritten. Deny by default.\n");
        acl.Append("user ").Append(hubUsername).Append('\n');
        acl.Append("topic readwrite ").Append(KitTopics.Root).Append("/#\n");
        foreach (var kit in activeKits)
        {
            acl.Append("\nuser ").Append(kit.Username).Append('\n');
            foreach (var channel in KitAccessRules.KitWrites)
            {
                acl.Append("topic write ").Append(KitTopics.For(kit.KitId, channel)).Append('\n');
            }

            foreach (var channel in KitAccessRules.KitReads)
            {
                acl.Append("topic read ").Append(KitTopics.For(kit.KitId, channel)).Append('\n');
            }
        }

        return acl.ToString();
    }

    internal static void WriteAtomically(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, content, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            // Hashes only, but still private: the hub's user writes, mosquitto's group (set by the installer) reads.
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        File.Move(temp, full, overwrite: true);
    }
}
