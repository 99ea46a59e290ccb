using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Access;

public class AuditAndAccountsTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_audit_log_is_a_hash_chain_in_its_own_file_and_an_edited_entry_breaks_it()
    {
        await using var host = await DashboardHost.StartAsync();
        var audit = host.App.Services.GetRequiredService<AuditLog>();
        audit.Record("carla", Roles.SociaalWerker, "bewoner bekeken", HubSeed.Jansen);
        audit.Record("dirk", Roles.Wijkverpleegkundige, "bewoner bekeken", HubSeed.Bakker);
        audit.Record("anna", Roles.Vrijwilliger, "uitkomst vastgelegd", HubSeed.Jansen, "taak 1");
        Assert.True(audit.Verify().Intact);
        Assert.Equal("audit.db", Path.GetFileName(audit.FilePath));
        Assert.True(OperatingSystem.IsLinux());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(audit.FilePath));

        using (var connection = new SqliteConnection($"Data Source={audit.FilePath}"))
        {
            connection.Open();
            using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE audit SET actor = 'iemand' WHERE action = 'bewoner bekeken' AND resident_id = $r";
            tamper.Parameters.AddWithValue("$r", HubSeed.Bakker);
            tamper.ExecuteNonQuery();
        }

        var verification = audit.Verify();
        Assert.False(verification.Intact);
        Assert.NotNull(verification.FirstBrokenId);
    }

    [Fact]
    public async Task Create_admin_command_makes_a_beheerder_from_a_password_file_and_refuses_weak_input()
    {
        await using var host = await DashboardHost.StartAsync();
        var users = host.App.Services.GetRequiredService<UserStore>();
        var file = Path.Combine(host.DataPath, "admin-password");
        await File.WriteAllTextAsync(file, "een-lang-en-geheim-wachtwoord\n");
        var output = new StringWriter();

        var ok = AdminCommand.Run(["create-admin", "--username", "Beheer", "--password-file", file], users, output);
        await File.WriteAllTextAsync(file, "kort");
        var weak = AdminCommand.Run(["create-admin", "--username", "beheer2", "--password-file", file], users, output);
        var missing = AdminCommand.Run(["create-admin", "--username", "beheer3", "--password-file", file + ".nope"], users, output);

        Assert.Equal((0, 1, 2), (ok, weak, missing));
        Assert.Equal(Roles.Beheerder, users.Verify("beheer", "een-lang-en-geheim-wachtwoord")!.Role);
        Assert.Null(users.Find("beheer2"));
        Assert.Null(users.Verify("beheer", "een-lang-en-geheim-wachtwoorD"));
        Assert.Contains("minstens 12 tekens", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["create-admin"], AdminCommand.ConfigurationArgs(["create-admin", "--username", "x", "--password-file", "f"]).Prepend("create-admin").Take(1));
    }

    [Fact]
    public void A_dashboard_without_hub_configuration_refuses_to_start_and_names_the_key()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "homesignal-noconf-" + Guid.NewGuid().ToString("N"));
        var app = Program.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["Dashboard:DataPath"] = dataPath;
        });

        var error = Assert.ThrowsAny<Exception>(() => app.StartAsync().GetAwaiter().GetResult());
        Assert.Contains("Hub:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_have_no_default_passwords_and_unknown_roles_are_refused()
    {
        await using var host = await DashboardHost.StartAsync();
        var users = host.App.Services.GetRequiredService<UserStore>();

        Assert.Throws<ArgumentException>(() => users.Create("zus", "Zus", "client", "een-lang-wachtwoord-1"));
        Assert.Throws<ArgumentException>(() => users.Create("anna", "Anna", Roles.Vrijwilliger, "een-lang-wachtwoord-1"));
        Assert.Null(users.Verify("admin", "admin"));
        Assert.Null(users.Verify("beheerder", ""));
    }
}
