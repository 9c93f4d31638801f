namespace Deliverability.Load;

/// <summary>
/// The load simulations of a scenario turned into time: the rate (or copies) at every instant and the planned
/// start of every arrival, computed from the start of the plan (never by sleeping 1/rate, so nothing drifts).
/// </summary>
public sealed class LoadPlan
{
    private LoadPlan(IReadOnlyList<LoadPlanSegment> segments, bool isOpen)
    {
        Segments = segments;
        IsOpen = isOpen;
        Duration = segments.Count == 0 ? TimeSpan.Zero : segments[^1].End;
    }

    /// <summary>
    /// The plan of <paramref name="simulations"/>; <paramref name="seed"/> draws the rates of InjectRandom.
    /// Throws <see cref="ArgumentException"/> with a one-line message when a simulation is invalid.
    /// </summary>
    public static LoadPlan Create(IReadOnlyList<LoadSimulation> simulations, int seed = 0) =>
        LoadPlanBuilder.Build(simulations, seed, (segments, isOpen) => new LoadPlan(segments, isOpen));

    /// <summary>Pieces of constant or linear rate (or copies), in order, end to end.</summary>
    public IReadOnlyList<LoadPlanSegment> Segments { get; }

    /// <summary>Whether the plan is an open model (arrival rate) rather than a closed one (copies).</summary>
    public bool IsOpen { get; }

    /// <summary>The plan's total length.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The arrival rate per second at <paramref name="offset"/> from the plan's start (0 outside it).</summary>
    public double RateAt(TimeSpan offset) => IsOpen ? ValueAt(offset) : 0;

    /// <summary>The closed model's copies at <paramref name="offset"/> (0 outside the plan).</summary>
    public int CopiesAt(TimeSpan offset) => IsOpen ? 0 : (int)Math.Round(ValueAt(offset), MidpointRounding.AwayFromZero);

    /// <summary>The highest number of copies of a closed plan.</summary>
    public int MaxCopies => IsOpen ? 0 : (int)Segments.Select(segment => Math.Max(segment.From, segment.To)).DefaultIfEmpty(0).Max();

    /// <summary>How many arrivals the open plan makes in total.</summary>
    public long ExpectedArrivals
    {
        get
        {
            if (!IsOpen)
            {
                return 0;
            }

            var total = Segments.Sum(segment => (segment.From + segment.To) / 2 * (segment.End - segment.Start).TotalSeconds);
            return (long)Math.Ceiling(total - ArrivalSchedule.Epsilon);
        }
    }

    /// <summary>The planned starts of the open plan, as offsets from its start, in order.</summary>
    public IEnumerable<TimeSpan> Arrivals()
    {
        var schedule = new ArrivalSchedule(this);
        while (schedule.TryNext(out var seconds))
        {
            yield return TimeSpan.FromSeconds(seconds);
        }
    }

    /// <summary>
    /// When, at or after <paramref name="from"/>, the closed plan first runs more than <paramref name="copies"/>
    /// copies; null when it never does. Idle copies sleep until then instead of polling.
    /// </summary>
    internal TimeSpan? NextTimeCopiesExceed(int copies, TimeSpan from)
    {
        var needed = copies + 0.5; // CopiesAt rounds half away from zero
        foreach (var segment in Segments)
        {
            if (segment.End <= from)
            {
                continue;
            }

            var start = segment.Start > from ? segment.Start : from;
            var fraction = (start - segment.Start) / (segment.End - segment.Start);
            if (segment.From + ((segment.To - segment.From) * fraction) >= needed)
            {
                return start;
            }

            if (segment.To > segment.From && segment.To >= needed)
            {
                var reached = segment.Start + ((segment.End - segment.Start) * ((needed - segment.From) / (segment.To - segment.From)));
                return reached > start ? reached : start;
            }
        }

        return null;
    }

    private double ValueAt(TimeSpan offset)
    {
        if (offset < TimeSpan.Zero || offset >= Duration)
        {
            return 0;
        }

        var low = 0;
        var high = Segments.Count - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (Segments[middle].End <= offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        var segment = Segments[low];
        var fraction = (offset - segment.Start) / (segment.End - segment.Start);
        return segment.From + ((segment.To - segment.From) * fraction);
    }
}

/// <summary>A piece of a plan: from <see cref="Start"/> to <see cref="End"/>, the rate per second (or copies) moves linearly from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record LoadPlanSegment(TimeSpan Start, TimeSpan End, double From, double To, LoadSimulationKind Kind);
