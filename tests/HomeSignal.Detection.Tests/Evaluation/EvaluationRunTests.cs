using HomeSignal.Evaluation.Evaluation;
using HomeSignal.Evaluation.Reporting;

namespace HomeSignal.Detection.Tests.Evaluation;

public class EvaluationRunTests
{
    [Fact]
    public void A_small_simulated_population_meets_the_gates_and_writes_the_report()
    {
        var options = new EvaluationOptions { Residents = 4, Seeds = [11, 12], Years = 1 };
        var result = Evaluator.Run(options, new DetectionOptions(), TextWriter.Null);
        var figures = new Figures(result);
        var dir = Directory.CreateTempSubdirectory("homesignal-eval-");
        try
        {
            var path = Path.Combine(dir.FullName, "report.md");
            MarkdownReport.Write(figures, path);
            var output = new StringWriter();
            ConsoleTable.Write(figures, output);

            // The acute gates and the top-reason gate hold on the small population as on the full one.
            Assert.All(figures.Gates.Where(g => !g.Name.StartsWith("4-week", StringComparison.Ordinal) && !g.Name.Contains("decline", StringComparison.Ordinal)),
                g => Assert.True(g.Passed, $"{g.Name}: {g.Reached} ({g.Margin})"));
            // Eight resident-years carry only a handful of declines and ~90 normal months: the decline gates are checked
            // with a margin for that small sample (the full evaluation command checks them exactly).
            Assert.True(figures.FalseDecline <= 0.2, $"false declines {figures.FalseDecline:0.000} per resident-month");
            var declines = result.Cases.Where(c => c.Kind.ToString().StartsWith("Decline", StringComparison.Ordinal)).ToList();
            Assert.True(declines.Count(c => c.Detected) >= declines.Count * 0.6, $"{declines.Count(c => c.Detected)} of {declines.Count} declines found");
            Assert.Contains("Gates:", output.ToString(), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir.FullName, "report-delays.svg")));
            Assert.Contains("| gate | target | reached |", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Bad_command_lines_are_refused_with_a_reason()
    {
        var error = new StringWriter();
        Assert.Equal(2, HomeSignal.Evaluation.Program.Run(["evaluate", "--residents", "zero"], TextWriter.Null, error));
        Assert.Contains("--residents", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, HomeSignal.Evaluation.Program.Run(["frobnicate"], TextWriter.Null, new StringWriter()));
        Assert.Equal(2, HomeSignal.Evaluation.Program.Run(["import", "--events", "/nonexistent.csv", "--map", "/nonexistent.csv"], TextWriter.Null, new StringWriter()));
    }
}
