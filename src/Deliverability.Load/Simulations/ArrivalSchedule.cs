namespace Deliverability.Load;

/// <summary>
/// The open plan's planned starts one after another: arrival k is due where the integral of the rate from the
/// plan's start reaches k, so arrival 0 is at the start and a constant rate r gives k / r exactly (no drift).
/// </summary>
internal sealed class ArrivalSchedule(LoadPlan plan)
{
    public const double Epsilon = 1e-9;

    private readonly IReadOnlyList<LoadPlanSegment> _segments = plan.IsOpen ? plan.Segments : [];
    private int _segment;
    private double _arrivalsBeforeSegment;
    private long _next;

    /// <summary>The number of arrivals given so far.</summary>
    public long Count => _next;

    /// <summary>The next arrival's offset from the plan's start, in seconds.</summary>
    public bool TryNext(out double offsetSeconds)
    {
        while (_segment < _segments.Count)
        {
            var segment = _segments[_segment];
            var length = (segment.End - segment.Start).TotalSeconds;
            var a = segment.From;
            var b = (segment.To - segment.From) / length;
            var inSegment = (a + segment.To) / 2 * length;
            var needed = _next - _arrivalsBeforeSegment;
            if (needed < inSegment - Epsilon)
            {
                // Solve a*t + b*t^2/2 = needed in the form that stays exact when b is 0 or a is 0.
                var root = Math.Sqrt(Math.Max(0, (a * a) + (2 * b * needed)));
                var t = needed <= 0 ? 0 : 2 * needed / (a + root);
                offsetSeconds = segment.Start.TotalSeconds + Math.Min(t, length);
                _next++;
                return true;
            }

            _arrivalsBeforeSegment += inSegment;
            _segment++;
        }

        offsetSeconds = 0;
        return false;
    }
}
