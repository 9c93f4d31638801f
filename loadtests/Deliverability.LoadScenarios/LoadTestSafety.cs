using Deliverability.Load;
using Deliverability.LoadScenarios.Definitions;

namespace Deliverability.LoadScenarios;

/// <summary>What a run may touch: recipients only at sink domains or the allow-list, hosts only loopback or the allow-list.</summary>
public sealed record LoadTestSafety(SinkRecipientPolicy Recipients, LoadTargetGuard Targets)
{
    /// <summary>Sink domains only, loopback only.</summary>
    public static LoadTestSafety Default { get; } = new(SinkRecipientPolicy.SinkDomainsOnly, LoadTargetGuard.LoopbackOnly);

    /// <summary>The default policies widened by explicit allow-lists (hosts, recipient domains), as the command line and the service configure them.</summary>
    public static LoadTestSafety WithAllowLists(IEnumerable<string>? allowedHosts, IEnumerable<string>? allowedRecipientDomains) =>
        new(new SinkRecipientPolicy(allowedRecipientDomains), new LoadTargetGuard(allowedHosts));

    /// <summary>
    /// Throws <see cref="LoadTestRefusedException"/> (one-line reason) when the definition's target host, a recipient,
    /// or an address written in an HTTP body is not allowed. Called before any connection is made.
    /// </summary>
    public void Check(LoadTestDefinition definition) => SafetyCheck.Run(definition, this);
}

/// <summary>A load test's target or recipient is not allowed; nothing was sent. The CLI exits with 2, the API answers 400.</summary>
public sealed class LoadTestRefusedException : Exception
{
    /// <summary>A refusal with a one-line reason.</summary>
    public LoadTestRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal without a reason (prefer the one with a message).</summary>
    public LoadTestRefusedException()
        : base("the load test was refused")
    {
    }

    /// <summary>A refusal with a reason and its cause.</summary>
    public LoadTestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
