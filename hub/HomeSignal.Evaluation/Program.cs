using HomeSignal.Detection;
using HomeSignal.Evaluation.Evaluation;
using HomeSignal.Evaluation.Import;
using HomeSignal.Evaluation.Reporting;

namespace HomeSignal.Evaluation;

/// <summary>
/// Detection evaluation and replay:
/// <c>evaluate [--residents N --years Y --seeds a,b,c --report path.md]</c> prints detection rate, delay, false alarms
/// and top-reason accuracy per pattern over simulated resident-years and checks the gates;
/// <c>import --events events.csv --map sensors.csv</c> replays recorded events through detection.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var verb = args.Count > 0 ? args[0] : "";
        var rest = args.Skip(1).ToList();
        switch (verb)
        {
            case "evaluate":
                var o = EvaluationOptions.Parse(rest, out var problem);
                if (problem is not null)
                {
                    error.WriteLine(problem);
                    return 2;
                }

                var detection = new DetectionOptions();
                var invalid = detection.Validate();
                if (invalid.Count > 0)
                {
                    error.WriteLine(string.Join(Environment.NewLine, invalid));
                    return 2;
                }

                var result = Evaluator.Run(o, detection, output);
                var figures = new Figures(result);
                ConsoleTable.Write(figures, output);
                if (o.ReportPath is { } path)
                {
                    MarkdownReport.Write(figures, path);
                    output.WriteLine($"Report written to {Path.GetFullPath(path)}");
                }

                return figures.AllGatesPassed ? 0 : 1;
            case "import":
                return ImportCommand.Run(rest, output, error);
            default:
                error.WriteLine("Usage: evaluate [--residents N --years Y --seeds a,b,c --report path.md] | import --events events.csv --map sensors.csv [--resident id]");
                return 2;
        }
    }
}
