using System.Diagnostics;
using HomeSignal.Hub.Registry;
using HomeSignal.Testing.Servers;

namespace HomeSignal.Hub.Tests.Broker;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_hash_made_by_mosquitto_passwd_verifies_here_so_both_speak_the_same_7_format()
    {
        var tool = RequiredTool.Find("mosquitto_passwd", "mosquitto");
        var dir = Directory.CreateTempSubdirectory("hs-pw-").FullName;
        try
        {
            var file = Path.Combine(dir, "passwd");
            using (var process = Process.Start(tool, ["-c", "-b", file, "kit-pw", "s3cret-Pa55"]))
            {
                Assert.True(process.WaitForExit(15_000));
                Assert.Equal(0, process.ExitCode);
            }

            var hash = File.ReadAllText(file).Trim().Split(':', 2)[1];
            Assert.StartsWith("$7$", hash, StringComparison.Ordinal);
            Assert.True(PasswordHash.Verify("s3cret-Pa55", hash));
            Assert.False(PasswordHash.Verify("s3cret-Pa56", hash));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("$6$abc")]
    [InlineData("$7$x$salt$hash")]
    [InlineData("$7$100$not base64!$AAAA")]
    public void Malformed_hashes_never_verify(string? encoded) =>
        Assert.False(PasswordHash.Verify("anything", encoded));

    [Fact]
    public void Own_hashes_verify_only_the_right_password()
    {
        var hash = PasswordHash.Create("right", 100);
        Assert.True(PasswordHash.Verify("right", hash));
        Assert.False(PasswordHash.Verify("wrong", hash));
    }
}
