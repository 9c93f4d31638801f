using System.Diagnostics;
using System.Globalization;

namespace Deliverability.Load;

/// <summary>The capacity search: step up until a rate breaks, then bisect between the last held and the first broken rate.</summary>
internal static class CapacitySearchRun
{
    public static async Task<CapacitySearchResult> ExecuteAsync(Func<double, ScenarioProps> scenarioForRate,
        CapacitySearchOptions options, IEnumerable<IReportingSink>? sinks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenarioForRate);
        ArgumentNullException.ThrowIfNull(options);
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new LoadConfigurationException(string.Join("; ", problems));
        }

        var sinkList = sinks?.ToList() ?? [];
        var clock = Stopwatch.StartNew();
        var curve = new List<CapacityPoint>();
        double? held = null;
        double? broken = null;

        CapacitySearchResult Result(CapacitySearchStop stop) => new()
        {
            KneeRate = held,
            FirstBrokenRate = broken,
            Stop = stop,
            Curve = curve,
            Elapsed = clock.Elapsed,
        };

        async Task<(CapacitySearchStop? Stop, CapacityPoint? Point)> RunOnceAsync(double rate, string phase)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return (CapacitySearchStop.Cancelled, null);
            }

            if (curve.Count >= options.MaxSteps)
            {
                return (CapacitySearchStop.MaxSteps, null);
            }

            var left = options.MaxTotalDuration - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return (CapacitySearchStop.MaxDuration, null);
            }

            var scenario = scenarioForRate(rate);
            var runOptions = options.RunOptions with
            {
                MaxDuration = left < options.RunOptions.MaxDuration ? left : options.RunOptions.MaxDuration,
                TestName = $"{options.RunOptions.TestName} at {rate.ToString("0.##", CultureInfo.InvariantCulture)}/s",
                RunId = null,
            };
            var report = await LoadRunner.RunAsync([scenario], runOptions, sinkList, cancellationToken).ConfigureAwait(false);
            if (report.StopReason is StopReason.Cancelled)
            {
                return (CapacitySearchStop.Cancelled, null);
            }

            if (report.StopReason is StopReason.MaxDuration)
            {
                return (CapacitySearchStop.MaxDuration, null);
            }

            var point = Judge(rate, phase, scenario, report, options.MinAchievedRatio);
            curve.Add(point);
            return (null, point);
        }

        // A rate that breaks is run once more before the search leans on it: one stalled second on a busy machine
        // would otherwise cap the search below the real knee. The second run's verdict is the rate's.
        async Task<CapacitySearchStop?> TryRateAsync(double rate, string phase)
        {
            var (stop, point) = await RunOnceAsync(rate, phase).ConfigureAwait(false);
            if (stop is not null)
            {
                return stop;
            }

            if (!point!.Held && options.ConfirmBreaks)
            {
                (stop, point) = await RunOnceAsync(rate, "confirm").ConfigureAwait(false);
                if (stop is not null)
                {
                    return stop;
                }
            }

            if (point!.Held)
            {
                held = held is null ? rate : Math.Max(held.Value, rate);
            }
            else
            {
                broken = broken is null ? rate : Math.Min(broken.Value, rate);
            }

            return null;
        }

        var rate = Math.Min(options.StartRate, options.MaxRate);
        while (true)
        {
            if (await TryRateAsync(rate, "step").ConfigureAwait(false) is { } stop)
            {
                return Result(stop);
            }

            if (broken is not null)
            {
                break;
            }

            if (rate >= options.MaxRate)
            {
                return Result(CapacitySearchStop.MaxRateHeld);
            }

            rate = Math.Min(options.MaxRate, options.StepIncrement is { } increment ? rate + increment : rate * options.StepFactor);
        }

        if (held is null)
        {
            return Result(CapacitySearchStop.StartRateBroke);
        }

        while ((broken!.Value - held.Value) / held.Value > options.Tolerance)
        {
            if (await TryRateAsync((held.Value + broken.Value) / 2, "bisect").ConfigureAwait(false) is { } stop)
            {
                return Result(stop);
            }
        }

        return Result(CapacitySearchStop.Converged);
    }

    private static CapacityPoint Judge(double rate, string phase, ScenarioProps scenario, RunReport report, double minAchievedRatio)
    {
        var result = report.FindScenario(scenario.Name) ?? report.Scenarios[0];
        var planSeconds = LoadPlan.Create(scenario.LoadSimulations).Duration.TotalSeconds;
        var achieved = planSeconds <= 0 ? 0 : result.Started / planSeconds;
        var reasons = result.Thresholds.Where(verdict => !verdict.Held).Select(ThresholdEvaluator.Describe).ToList();
        if (minAchievedRatio > 0 && achieved < rate * minAchievedRatio)
        {
            reasons.Add($"achieved {achieved.ToString("0.##", CultureInfo.InvariantCulture)}/s of {rate.ToString("0.##", CultureInfo.InvariantCulture)}/s");
        }

        if (report.StopReason == StopReason.ThresholdAbort && reasons.Count == 0)
        {
            reasons.Add($"aborted by {report.AbortedBy}");
        }

        return new CapacityPoint
        {
            TargetRate = rate,
            AchievedRate = achieved,
            OkPerSecond = result.Stats.OkPerSecond,
            P99Ms = result.Stats.ResponseTime.P99Ms,
            ErrorRate = result.Stats.ErrorRate,
            DroppedStarts = result.DroppedStarts,
            Held = reasons.Count == 0,
            Phase = phase,
            Verdicts = result.Thresholds,
            BrokenBecause = reasons.Count == 0 ? null : string.Join("; ", reasons),
        };
    }

    public static IReadOnlyList<string> Validate(CapacitySearchOptions options)
    {
        var problems = new List<string>();
        if (!(options.StartRate > 0) || !double.IsFinite(options.StartRate))
        {
            problems.Add("start rate must be positive");
        }

        if (!(options.MaxRate >= options.StartRate) || options.MaxRate > LoadPlanBuilder.MaxRatePerSecond)
        {
            problems.Add($"max rate must be at least the start rate and at most {LoadPlanBuilder.MaxRatePerSecond.ToString(CultureInfo.InvariantCulture)}");
        }

        if (options.StepIncrement is { } increment ? !(increment > 0) : !(options.StepFactor > 1) || options.StepFactor > 100)
        {
            problems.Add("each step must raise the rate: step factor above 1 (at most 100), or a positive step increment");
        }

        if (options.StepDuration <= TimeSpan.Zero)
        {
            problems.Add("step duration must be positive");
        }

        if (options.MaxSteps is < 1 or > 1000)
        {
            problems.Add("max steps must be between 1 and 1000");
        }

        if (options.MaxTotalDuration <= TimeSpan.Zero || options.MaxTotalDuration > TimeSpan.FromDays(1))
        {
            problems.Add("max total duration must be positive and at most 24 h");
        }

        if (!(options.Tolerance > 0) || options.Tolerance >= 1)
        {
            problems.Add("tolerance must be between 0 and 1 (0.05 is 5%)");
        }

        if (!(options.MinAchievedRatio >= 0) || options.MinAchievedRatio > 1)
        {
            problems.Add("min achieved ratio must be between 0 and 1");
        }

        problems.AddRange(options.RunOptions.Validate());
        return problems;
    }
}
