using HomeSignal.Edge.Tests.Support;
using HomeSignal.Testing.Servers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Tests.Startup;

public sealed class StartupValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("Mqtt:Password", null, "Mqtt:Password")]
    [InlineData("Mqtt:Username", null, "Mqtt:Username")]
    [InlineData("Kit:KitId", null, "Kit:KitId")]
    [InlineData("Kit:KitId", "Kit_Of+Mrs/Jansen", "Kit:KitId")]
    [InlineData("Kit:DataDirectory", "relative/dir", "Kit:DataDirectory")]
    [InlineData("Mqtt:Host", null, "Mqtt:Host")]
    [InlineData("Mqtt:Port", "70000", "Mqtt:Port")]
    [InlineData("Gpio:Sensors:0:Pin", "99", "Gpio:Sensors:0:Pin")]
    [InlineData("Gpio:Sensors:1:Pin", "17", "Gpio:Sensors:1:Pin")]
    [InlineData("Gpio:Sensors:0:Contact", null, "Gpio:Sensors:0:Contact")]
    [InlineData("Gpio:Sensors:1:ActiveLevel", null, "Gpio:Sensors:1:ActiveLevel")]
    [InlineData("Liveness:HeartbeatIntervalSeconds", "0", "Liveness:HeartbeatIntervalSeconds")]
    [InlineData("Outbox:CapacityEvents", "5", "Outbox:CapacityEvents")]
    [InlineData("Mqtt:ClientCertificatePath", "/nonexistent/kit.pem", "Mqtt:ClientCertificatePath")]
    public async Task A_missing_or_invalid_setting_stops_start_up_with_a_message_naming_the_key(string key, string? value, string named)
    {
        var settings = TestKits.Settings("kit-validate", _dir.Path);
        settings[key] = value;
        if (value is null)
        {
            // An empty value is how a missing setting reaches an in-memory source layered over the defaults.
            settings[key] = string.Empty;
        }

        using var host = TestKits.Build(settings);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains(named, Describe(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kit_without_credentials_refuses_to_start_and_the_default_settings_hold_none()
    {
        var settings = TestKits.Settings("kit-nocreds", _dir.Path);
        settings.Remove("Mqtt:Username");
        settings.Remove("Mqtt:Password");

        using var host = TestKits.Build(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Mqtt:Password is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Username is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_binary_exits_with_an_error_that_names_the_missing_password()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "HomeSignal.Edge.dll");
        await using var process = ServerProcess.Start("dotnet", [dll, "--Kit:KitId=kit-cli", $"--Kit:DataDirectory={_dir.Path}", "--Mqtt:Host=127.0.0.1", "--Mqtt:Username=kit-cli", "--Gpio:Mode=Simulated"], _dir.Path);

        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("Mqtt:Password is missing", process.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static string Describe(Exception error) => error is AggregateException aggregate
        ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
        : error.Message + (error.InnerException is { } inner ? " | " + inner.Message : string.Empty);
}
