using Microsoft.Extensions.Options;
using Deliverability.Core.Dns;

namespace Deliverability.Server.Infrastructure;

/// <summary>The <c>Dns</c> section, checked by the rules the CLI uses too.</summary>
public sealed class DnsOptionsValidator : IValidateOptions<DnsOptions>
{
    public ValidateOptionsResult Validate(string? name, DnsOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
