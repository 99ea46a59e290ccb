using HomeSignal.Edge.Provisioning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HomeSignal.Demo;

/// <summary>
/// A new kit fresh from the box: the real edge worker with simulated GPIO and no credentials, so it runs in claim mode —
/// it makes a claim code and a label and waits for an installer to enrol it in the dashboard. Its front-door reed is
/// configured the wrong way round, so the walk test has something to catch.
/// </summary>
public sealed class WaitingKit : IAsyncDisposable
{
    private readonly IHost _host;

    private WaitingKit(IHost host, string dataDirectory, string code, string enrolUrl)
    {
        _host = host;
        DataDirectory = dataDirectory;
        ClaimCode = code;
        EnrolmentLink = $"{enrolUrl}?code={code}";
    }

    public string DataDirectory { get; }

    public string ClaimCode { get; }

    public string LabelPath => Path.Combine(DataDirectory, "claim-label.png");

    /// <summary>What the label's QR code opens: the dashboard's enrolment page with the code filled in.</summary>
    public string EnrolmentLink { get; }

    /// <summary>Completes with the kit proper once it has collected its credentials after enrolment.</summary>
    public Task<IHost> Enrolled => _host.Services.GetRequiredService<KitLauncher>().Started;

    /// <summary>The front door's reed contact; the kit reads it as <see cref="WrongContact"/>.</summary>
    public const string DoorSensor = "door-front";

    public const string WrongContact = "NormallyClosed";

    public static async Task<WaitingKit> StartAsync(string dataDirectory, Uri hubUrl, string enrolUrl, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var settings = new Dictionary<string, string?>
        {
            ["Kit:DataDirectory"] = dataDirectory,
            ["Provisioning:HubUrl"] = hubUrl.ToString(),
            ["Provisioning:EnrolUrl"] = enrolUrl,
            ["Provisioning:PollBackoffInitialSeconds"] = "1",
            ["Provisioning:PollBackoffMaxSeconds"] = "10",
            ["Gpio:Mode"] = "Simulated",
            // The edge's default wiring (hardware/), except the front door's reed type: set wrong by the "installer".
            [$"Gpio:Sensors:0:Contact"] = WrongContact,
            ["Liveness:AssumeClockSynced"] = "true",
            ["Liveness:HeartbeatIntervalSeconds"] = "10",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        var host = Edge.Program.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        await host.StartAsync(cancellationToken);
        var claimer = host.Services.GetRequiredService<Claimer>();
        using var wait = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        // The code is known a moment before its label is written.
        while (claimer.CurrentCode is null || !File.Exists(Path.Combine(dataDirectory, "claim-label.png")))
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new InvalidOperationException("The waiting kit made no claim code and label within 30 s.");
            }

            await wait.WaitForNextTickAsync(cancellationToken);
        }

        return new WaitingKit(host, dataDirectory, claimer.CurrentCode, enrolUrl);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
