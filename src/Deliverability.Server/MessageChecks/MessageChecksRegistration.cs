using Microsoft.Extensions.Options;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Rendering;
using Deliverability.Core.MessageChecks.SpamAssassin;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.MessageChecks;

public static class MessageChecksRegistration
{
    /// <summary>
    /// <c>Monitor:MessageChecks</c> (validated at start), SpamAssassin (a configured spamd, or a private one started on
    /// first use and stopped with the service), the Chromium renderer, the store of past checks and the runner.
    /// </summary>
    public static WebApplicationBuilder AddMessageChecks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<MessageCheckOptions, MessageCheckOptionsValidator>(MessageCheckOptions.SectionName);
        services.AddSingleton(sp => new SpamAssassinScanner(sp.GetRequiredService<IOptions<MessageCheckOptions>>().Value.SpamAssassin));
        services.AddSingleton<IMessageRenderer>(sp => new ChromiumRenderer(sp.GetRequiredService<IOptions<MessageCheckOptions>>().Value.Render));
        services.AddSingleton<MessageCheckStore>();
        services.AddSingleton<MessageCheckRunner>();
        return builder;
    }

    /// <summary><c>/api/message-checks</c>.</summary>
    public static WebApplication MapMessageChecks(this WebApplication app)
    {
        app.MapMessageChecksApi();
        return app;
    }
}

/// <summary>Every problem of <c>Monitor:MessageChecks</c>, each naming its key.</summary>
public sealed class MessageCheckOptionsValidator : IValidateOptions<MessageCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, MessageCheckOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
