using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts.Notifications;

namespace Deliverability.Server.Alerts;

/// <summary>The receivers of <c>Monitor:Alerts</c>; messages name the key and never quote a URL, key or password.</summary>
public sealed class AlertReceiversOptionsValidator : IValidateOptions<AlertReceiversOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertReceiversOptions options)
    {
        var problems = ReceiverOptionsValidation.Validate(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
