namespace HomeSignal.Detection.Statistics;

/// <summary>Small, allocation-light statistics used by the calibrated rules.</summary>
public static class Robust
{
    /// <summary>Linear-interpolated quantile (type 7). NaN for an empty sample.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        return QuantileSorted(sorted, q);
    }

    public static double QuantileSorted(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var h = (sorted.Length - 1) * Math.Clamp(q, 0, 1);
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static double Median(IReadOnlyList<double> values) => Quantile(values, 0.5);

    public static double Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double s = 0;
        for (var i = 0; i < values.Count; i++)
        {
            s += values[i];
        }

        return s / values.Count;
    }

    /// <summary>Personal estimate shrunk toward a population prior: with n observations and prior weight w, the prior
    /// counts as w observations (n = 0 gives the prior, n ≫ w the personal value).</summary>
    public static double Shrink(double personal, int n, double prior, double priorWeight)
    {
        if (n <= 0 || double.IsNaN(personal))
        {
            return prior;
        }

        return (personal * n + prior * priorWeight) / (n + priorWeight);
    }

    /// <summary>P(X ≥ k) for X ~ Poisson(λ).</summary>
    public static double PoissonUpperTail(int k, double lambda)
    {
        if (k <= 0)
        {
            return 1;
        }

        lambda = Math.Max(lambda, 1e-9);
        double term = Math.Exp(-lambda), cdf = term;
        for (var i = 1; i < k; i++)
        {
            term *= lambda / i;
            cdf += term;
        }

        return Math.Max(0, 1 - cdf);
    }

    /// <summary>P(X ≤ k) for X ~ Poisson(λ).</summary>
    public static double PoissonLowerTail(int k, double lambda)
    {
        if (k < 0)
        {
            return 0;
        }

        lambda = Math.Max(lambda, 1e-9);
        double term = Math.Exp(-lambda), cdf = term;
        for (var i = 1; i <= k; i++)
        {
            term *= lambda / i;
            cdf += term;
        }

        return Math.Min(1, cdf);
    }
}

/// <summary>Mann-Kendall trend test with Theil-Sen slope, for weekly metrics over 6–8 weeks.</summary>
public static class Trend
{
    /// <summary>Returns the Mann-Kendall Z statistic (positive = rising) and the Theil-Sen slope per step.</summary>
    public static (double Z, double Slope) MannKendall(IReadOnlyList<double> y)
    {
        var n = y.Count;
        if (n < 3)
        {
            return (0, 0);
        }

        var s = 0;
        var slopes = new List<double>(n * (n - 1) / 2);
        for (var i = 0; i < n - 1; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                s += Math.Sign(y[j] - y[i]);
                slopes.Add((y[j] - y[i]) / (j - i));
            }
        }

        var variance = n * (n - 1) * (2 * n + 5) / 18.0;
        var z = s > 0 ? (s - 1) / Math.Sqrt(variance) : s < 0 ? (s + 1) / Math.Sqrt(variance) : 0;
        return (z, Robust.Median(slopes));
    }
}
