namespace Deliverability.Load;

/// <summary>The kinds of load phase.</summary>
public enum LoadSimulationKind
{
    /// <summary>Open model: a constant arrival rate.</summary>
    Inject,
    /// <summary>Open model: the arrival rate moves linearly from the previous phase's rate.</summary>
    RampingInject,
    /// <summary>Open model: each interval draws a rate between a minimum and a maximum.</summary>
    InjectRandom,
    /// <summary>Closed model: a constant number of copies loop.</summary>
    KeepConstant,
    /// <summary>Closed model: the number of copies moves linearly from the previous phase's.</summary>
    RampingConstant,
    /// <summary>Nothing starts.</summary>
    Pause,
}

/// <summary>One phase of load. Made by <see cref="Simulation"/>.</summary>
public sealed record LoadSimulation
{
    internal LoadSimulation(LoadSimulationKind kind, TimeSpan during)
    {
        Kind = kind;
        During = during;
    }

    /// <summary>The kind of phase.</summary>
    public LoadSimulationKind Kind { get; }

    /// <summary>How long the phase lasts.</summary>
    public TimeSpan During { get; }

    /// <summary>Open model: arrivals per <see cref="Interval"/> (the target at the end of a ramp).</summary>
    public double Rate { get; init; }

    /// <summary><see cref="LoadSimulationKind.InjectRandom"/>: the lowest rate drawn.</summary>
    public double MinRate { get; init; }

    /// <summary><see cref="LoadSimulationKind.InjectRandom"/>: the highest rate drawn.</summary>
    public double MaxRate { get; init; }

    /// <summary>Open model: the unit of the rate (one second: the rate is per second).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Closed model: concurrent copies (the target at the end of a ramp).</summary>
    public int Copies { get; init; }

    /// <summary>Whether the phase belongs to the open model (Inject, RampingInject, InjectRandom).</summary>
    public bool IsOpen => Kind is LoadSimulationKind.Inject or LoadSimulationKind.RampingInject or LoadSimulationKind.InjectRandom;

    /// <summary>Whether the phase belongs to the closed model (KeepConstant, RampingConstant).</summary>
    public bool IsClosed => Kind is LoadSimulationKind.KeepConstant or LoadSimulationKind.RampingConstant;

    /// <summary>A short text such as "inject 100/1s for 30s".</summary>
    public override string ToString() => LoadSimulationText.Describe(this);
}

/// <summary>Load phases, as in NBomber.</summary>
public static class Simulation
{
    /// <summary>Open model: <paramref name="rate"/> starts per <paramref name="interval"/>, evenly spaced, for <paramref name="during"/>.</summary>
    public static LoadSimulation Inject(double rate, TimeSpan interval, TimeSpan during) =>
        new(LoadSimulationKind.Inject, during) { Rate = rate, Interval = interval };

    /// <summary>Open model: the rate moves linearly from the previous phase's rate (0 at first) to <paramref name="rate"/>.</summary>
    public static LoadSimulation RampingInject(double rate, TimeSpan interval, TimeSpan during) =>
        new(LoadSimulationKind.RampingInject, during) { Rate = rate, Interval = interval };

    /// <summary>Open model: every <paramref name="interval"/> a rate is drawn between the two bounds (the run's seed makes it repeatable).</summary>
    public static LoadSimulation InjectRandom(double minRate, double maxRate, TimeSpan interval, TimeSpan during) =>
        new(LoadSimulationKind.InjectRandom, during) { MinRate = minRate, MaxRate = maxRate, Interval = interval };

    /// <summary>Closed model: <paramref name="copies"/> copies run invocations back to back.</summary>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during) =>
        new(LoadSimulationKind.KeepConstant, during) { Copies = copies };

    /// <summary>Closed model: the copies move linearly from the previous phase's (0 at first) to <paramref name="copies"/>.</summary>
    public static LoadSimulation RampingConstant(int copies, TimeSpan during) =>
        new(LoadSimulationKind.RampingConstant, during) { Copies = copies };

    /// <summary>Nothing starts for <paramref name="during"/>.</summary>
    public static LoadSimulation Pause(TimeSpan during) => new(LoadSimulationKind.Pause, during);
}
