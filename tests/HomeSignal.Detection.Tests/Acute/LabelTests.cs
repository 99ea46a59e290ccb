using HomeSignal.Detection.Baselines;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Replay;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Detection.Tests.Acute;

public class LabelTests
{
    [Fact]
    public void Not_relevant_outcomes_widen_the_rule_that_fired_and_relevant_ones_undo_it()
    {
        var start = new DateOnly(2025, 5, 5);
        var home = new TestHome().NormalDays(start, 40);
        var days = HistoryReplay.Run("r", TestHome.Sensors, home.Readings, new DetectionOptions(), TestHome.At(start.AddDays(40), 0)).Days;
        var o = new BaselineOptions();
        var at = TestHome.At(start.AddDays(41), 15);
        var plain = ResidentBaseline.Build(days, o, LabelAdjustments.None);

        var notRelevant = new LabelAdjustments([new Label(SignalKind.Inactivity, at, LabelOutcome.NotRelevant), new Label(SignalKind.NotUp, at, LabelOutcome.NotRelevant)]);
        var widened = ResidentBaseline.Build(days, o, notRelevant);
        Assert.True(widened.InactivityMinutes[14] > plain.InactivityMinutes[14]);
        Assert.Equal(plain.InactivityMinutes[20], widened.InactivityMinutes[20]);
        Assert.True(widened.NotUpMinute[1] > plain.NotUpMinute[1]);

        var undone = new LabelAdjustments([new Label(SignalKind.Inactivity, at, LabelOutcome.NotRelevant), new Label(SignalKind.Inactivity, at.AddDays(1), LabelOutcome.Relevant)]);
        Assert.Equal(plain.InactivityMinutes[14], ResidentBaseline.Build(days, o, undone).InactivityMinutes[14], 6);

        var explained = new LabelAdjustments([new Label(SignalKind.Inactivity, at, LabelOutcome.ExplainedVisit)]);
        Assert.Equal(plain.InactivityMinutes[14], ResidentBaseline.Build(days, o, explained).InactivityMinutes[14]);
        Assert.Equal(LabelOutcome.ExplainedHoliday, Label.ParseOutcome("explained-holiday"));
        Assert.Null(Label.ParseOutcome("maybe"));
    }

    [Fact]
    public void Options_are_validated_with_messages_naming_the_key()
    {
        var o = new DetectionOptions();
        Assert.Empty(o.Validate());
        o.Acute.NightRestlessTail = 2;
        o.Baselines.WindowDays = 3;
        var problems = o.Validate();
        Assert.Contains(problems, p => p.Contains("Detection:Acute:NightRestlessTail", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Detection:Baselines:WindowDays", StringComparison.Ordinal));
    }
}
