using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HomeSignal.Benchmarks.Peer;

/// <summary>The peer's end-to-end figure: points stored per second by mosquitto → Node-RED → InfluxDB, and what it lost.</summary>
/// <remarks><see cref="CpuSeconds"/>: Node-RED + influxd + mosquitto (the load generator not included).</remarks>
public sealed record PeerResult(string Variant, long Events, long Stored, long Lost, double PointsPerSecond, double Seconds, bool Complete, double CpuSeconds);

/// <summary>
/// Runs the shared peer pipeline (<c>shared/peer-bench/run.sh</c>: what users build today) in this run, so HomeSignal's
/// figures can be printed as a ratio against it. Variant C is the tuned, lossless one. The script uses the fixed ports
/// 1883, 8086, 8088 and 1880 and npm-installs Node-RED into its work dir once (kept between runs).
/// </summary>
public static class PeerPipeline
{
    /// <summary>Where the peer-bench scripts are (env <c>HOMESIGNAL_PEER_BENCH</c> overrides).</summary>
    public static string ScriptDirectory =>
        Environment.GetEnvironmentVariable("HOMESIGNAL_PEER_BENCH") is { Length: > 0 } dir ? dir : "/work/shared/peer-bench";

    /// <summary>The work dir (env <c>HOMESIGNAL_PEER_WORK</c>); kept between runs so Node-RED is installed only once.</summary>
    public static string WorkDirectory =>
        Environment.GetEnvironmentVariable("HOMESIGNAL_PEER_WORK") is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "homesignal-peer-work");

    /// <summary>Runs of the peer (env <c>HOMESIGNAL_PEER_REPS</c>, default 3): one burst varies by ±30% on this machine.</summary>
    public static int Reps => int.TryParse(Environment.GetEnvironmentVariable("HOMESIGNAL_PEER_REPS"), CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : 3;

    /// <summary>Runs variant C <see cref="Reps"/> times with <paramref name="events"/> events from 1,000 kits and returns every run.</summary>
    public static async Task<IReadOnlyList<PeerResult>> RunVariantCAsync(int events, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var script = Path.Combine(ScriptDirectory, "run.sh");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"The peer pipeline script '{script}' was not found; set HOMESIGNAL_PEER_BENCH to the peer-bench folder.");
        }

        var work = WorkDirectory;
        Directory.CreateDirectory(work);
        MakeWritable(work);
        var size = events.ToString(CultureInfo.InvariantCulture);
        var info = new ProcessStartInfo("bash", [script])
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PEER_WORK"] = work;
        info.Environment["VARIANTS"] = "C";
        var reps = Reps.ToString(CultureInfo.InvariantCulture);
        info.Environment["REPS"] = reps;
        info.Environment["SIZES"] = size;

        output.WriteLine($"   peer: bash {script} (VARIANTS=C REPS={reps} SIZES={size} PEER_WORK={work})");
        var log = Path.Combine(work, "homesignal-run.log");
        using var process = new Process { StartInfo = info };
        await using var logWriter = new StreamWriter(log, append: false);
        var logLock = new Lock();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (logLock)
                {
                    logWriter.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process);
            throw;
        }

        lock (logLock)
        {
            logWriter.Flush();
        }

        output.WriteLine($"   peer: finished in {watch.Elapsed.TotalSeconds:0} s with exit code {process.ExitCode} (log: {log})");
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The peer pipeline failed (exit code {process.ExitCode}); see {log}. Are ports 1883/8086/8088/1880 free?");
        }

        return Parse(Path.Combine(work, "results", $"e2e-C-noqueue-maxsock32-{size}.json"));
    }

    /// <summary>Reads every run recorded in a result file of <c>bench.js e2e</c>.</summary>
    public static IReadOnlyList<PeerResult> Parse(string resultFile)
    {
        if (!File.Exists(resultFile))
        {
            throw new InvalidOperationException($"The peer pipeline wrote no result file '{resultFile}'.");
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(resultFile));
        var runs = doc.RootElement.ValueKind == JsonValueKind.Array ? [.. doc.RootElement.EnumerateArray()] : new[] { doc.RootElement };
        return [.. runs.Select(Run)];
    }

    private static PeerResult Run(JsonElement run) =>
        new(
            run.GetProperty("label").GetString() ?? "peer",
            run.GetProperty("n").GetInt64(),
            run.GetProperty("stored").GetInt64(),
            run.GetProperty("lost").GetInt64(),
            run.GetProperty("pts_per_s").GetDouble(),
            run.GetProperty("e2e_s").GetDouble(),
            run.GetProperty("complete").GetBoolean(),
            run.TryGetProperty("cpu_s", out var cpu) && cpu.ValueKind == JsonValueKind.Object
                ? cpu.EnumerateObject().Sum(p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : 0)
                : double.NaN);

    /// <summary>run.sh copies its read-only files over the previous run's copies; make those writable first.</summary>
    private static void MakeWritable(string work)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var name in new[] { "bench", "conf", "nr-userdir" })
        {
            var dir = new DirectoryInfo(Path.Combine(work, name));
            if (!dir.Exists)
            {
                continue;
            }

            dir.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserRead | UnixFileMode.UserExecute;
            foreach (var file in dir.EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                file.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserRead;
            }
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        // SIGTERM lets the script's trap stop the servers it started; SIGKILL the tree if it does not finish.
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
