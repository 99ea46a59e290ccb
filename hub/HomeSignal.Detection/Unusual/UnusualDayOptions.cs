namespace HomeSignal.Detection.Unusual;

/// <summary>Unusual-day settings (config section <c>Detection:Unusual</c>).</summary>
public sealed class UnusualDayOptions
{
    /// <summary>RandomizedPca rank.</summary>
    public int Rank { get; set; } = 3;

    /// <summary>A day is unusual above this quantile of the resident's own scores …</summary>
    public double ScoreQuantile { get; set; } = 0.995;

    /// <summary>… times this factor.</summary>
    public double ScoreFactor { get; set; } = 1.0;

    /// <summary>Days of history before a resident gets unusual-day signals.</summary>
    public int MinDays { get; set; } = 42;

    /// <summary>At most one unusual-day signal per resident in this many days.</summary>
    public int CooldownDays { get; set; } = 14;

    /// <summary>Rows sampled for the cross-resident training sets (bounds the nightly training time).</summary>
    public int MaxTrainingRows { get; set; } = 60_000;

    /// <summary>Models are retrained when older than this (the nightly pass otherwise loads them from the models directory).</summary>
    public int RetrainDays { get; set; } = 7;

    /// <summary>The worrying-direction robust score the top feature needs before a day is called unusual.</summary>
    public double MinTopScore { get; set; } = 3;

    public int FastTreeTrees { get; set; } = 40;

    public IEnumerable<string> Validate()
    {
        if (Rank is < 1 or > 8)
        {
            yield return "Detection:Unusual:Rank must be between 1 and 8.";
        }

        if (ScoreQuantile is <= 0.5 or > 1 || ScoreFactor < 1)
        {
            yield return "Detection:Unusual:ScoreQuantile must be in (0.5, 1] and ScoreFactor at least 1.";
        }
    }
}
