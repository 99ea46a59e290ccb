using System.Runtime.InteropServices;

namespace HomeSignal.Demo;

/// <summary>
/// <c>dotnet run --project hub/HomeSignal.Demo</c>: embedded broker, hub, dashboard and simulated kits with eight weeks
/// of history, on 127.0.0.1, plus one new kit waiting to be installed. Prints the dashboard URL, a log-in per role and the
/// new kit's claim code, label and enrolment link; Ctrl+C stops everything.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        DemoOptions options;
        try
        {
            options = DemoOptions.FromArgs(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        void Stop()
        {
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Process exit after Main finished (SIGTERM, or after Ctrl+C): nothing left to stop.
            }
        }

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Stop();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

        // The hosted hub, dashboard and kits each stop themselves on SIGTERM (their console lifetimes cancel the signal's
        // default exit), so the demo must hear it too, or it would wait for a stop that never comes.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Stop();
        });

        Console.WriteLine($"HomeSignal demo — gegevens in {options.DataDirectory}");
        await using var demo = new DemoSystem(options, Console.Out);
        await demo.StartHubAsync(stop.Token);
        await demo.SeedResidentsAsync(stop.Token);
        await demo.RunDetectionAsync(stop.Token);
        await demo.StartDashboardAsync(stop.Token);
        await demo.StartLiveKitsAsync(stop.Token);
        await demo.StartWaitingKitAsync(stop.Token);
        PrintWelcome(demo);
        await demo.RunAsync(stop.Token);
        Console.WriteLine("Demo gestopt.");
        return 0;
    }

    private static void PrintWelcome(DemoSystem demo)
    {
        Console.WriteLine();
        Console.WriteLine($"Dashboard: {demo.DashboardUrl}");
        Console.WriteLine("Inloggen (wachtwoorden gelden alleen voor deze demo):");
        foreach (var user in demo.Users)
        {
            Console.WriteLine($"  {user.Role,-20} {user.Username,-8} {user.Password}");
        }

        if (demo.Waiting is { } kit)
        {
            Console.WriteLine();
            Console.WriteLine($"Nieuwe kit installeren (log in als installateur ivo): claimcode {kit.ClaimCode}");
            Console.WriteLine($"  Label:     {kit.LabelPath}");
            Console.WriteLine($"  Aanmelden: {kit.EnrolmentLink}");
            Console.WriteLine("  De looptest doet een gesimuleerde hand: elke stap een paar seconden nadat hij verschijnt.");
        }

        Console.WriteLine("Stoppen: Ctrl+C");
    }
}
