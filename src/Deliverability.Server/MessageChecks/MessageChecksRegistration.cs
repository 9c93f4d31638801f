using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Deliverability.Core.MessageChecks.Mailbox;
using Deliverability.Core.Secrets;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Rendering;
using Deliverability.Core.MessageChecks.SpamAssassin;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.MessageChecks;

public static class MessageChecksRegistration
{
    /// <summary>
    /// <c>Monitor:MessageChecks</c> (validated at start, a <c>protected:</c> mailbox password decrypted first), SpamAssassin
    /// (a configured spamd, or a private one started on first use and stopped with the service), the Chromium renderer,
    /// the store of past checks, the cap on checks at once, the runner, the page's read model, and the check addresses
    /// with the reader of their mailbox.
    /// </summary>
    public static WebApplicationBuilder AddMessageChecks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<MessageCheckOptions, MessageCheckOptionsValidator>(MessageCheckOptions.SectionName);
        services.AddSingleton(sp => new SpamAssassinScanner(sp.GetRequiredService<IOptions<MessageCheckOptions>>().Value.SpamAssassin));
        services.AddSingleton<IMessageRenderer>(sp => new ChromiumRenderer(sp.GetRequiredService<IOptions<MessageCheckOptions>>().Value.Render));
        services.AddSingleton<IPostConfigureOptions<MessageCheckOptions>, RevealMailboxSecret>();
        services.AddSingleton<MessageCheckStore>();
        services.AddSingleton<MessageCheckGate>();
        services.AddSingleton<MessageCheckRunner>();
        services.AddSingleton<MessageCheckBoard>();
        services.AddSingleton<CheckAddressStore>();
        services.AddSingleton<CheckAddresses>();
        services.AddHostedService<CheckMailboxService>();
        return builder;
    }

    /// <summary><c>/api/message-checks</c>; the page is routed by the dashboard.</summary>
    public static WebApplication MapMessageChecks(this WebApplication app)
    {
        app.MapMessageChecksApi();
        return app;
    }
}

/// <summary>Leaves a value it cannot decrypt as it is: the validator reports it, naming the key.</summary>
internal sealed class RevealMailboxSecret(IDataProtectionProvider provider) : IPostConfigureOptions<MessageCheckOptions>
{
    public void PostConfigure(string? name, MessageCheckOptions options) => ProtectedSecret.RevealAll(provider, MessageCheckSecrets.Of(options));
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
