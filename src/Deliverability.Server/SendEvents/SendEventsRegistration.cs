using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Ingest;
using Deliverability.Core.SendEvents.MailboxProviders;
using Deliverability.Core.SendEvents.Sources;
using Deliverability.Core.SendEvents.Sources.Postfix;
using Deliverability.Server.Infrastructure;
using Deliverability.Server.SendEvents.Hooks;

namespace Deliverability.Server.SendEvents;

public static class SendEventsRegistration
{
    /// <summary>The named HTTP client for SNS certificates and subscription confirmations (a test swaps its handler).</summary>
    public const string SnsHttpClient = "sns";

    /// <summary>
    /// <c>Monitor:SendEvents</c> (validated at start), the six webhook formats, the one group-commit writer, the Postfix
    /// log tailers, the hourly retention job, and the mailbox-provider classifier.
    /// </summary>
    public static WebApplicationBuilder AddSendEvents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SendEventsOptions, SendEventsOptionsValidator>(SendEventsOptions.SectionName);
        services.AddHttpClient(SnsHttpClient, client => client.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<ISnsCertificates>(sp => new SnsCertificates(sp.GetRequiredService<IHttpClientFactory>().CreateClient(SnsHttpClient)));
        services.AddSingleton(sp => new SnsSubscriptions(sp.GetRequiredService<IHttpClientFactory>().CreateClient(SnsHttpClient)));
        services.AddSingleton<MailgunTokens>();
        services.AddSingleton<ISendEventFormat, MailjetFormat>();
        services.AddSingleton<ISendEventFormat, SendGridFormat>();
        services.AddSingleton<ISendEventFormat, MailgunFormat>();
        services.AddSingleton<ISendEventFormat, SesFormat>();
        services.AddSingleton<ISendEventFormat, PostmarkFormat>();
        services.AddSingleton<ISendEventFormat, GenericFormat>();
        services.AddSingleton<SendEventFormats>();
        services.AddSingleton<SendEventNormalizers>();
        services.AddSingleton<SendEventArrivals>();
        services.AddSingleton<SendEventWriter>();
        services.AddSingleton<SendEventStore>();
        services.AddHostedService<SendEventWriterService>();
        services.AddHostedService<SendEventRetentionService>();
        services.AddSingleton<PostfixLogOffsets>();
        services.AddHostedService<PostfixLogService>();
        services.AddSingleton<IMailboxProviderClassifier, MxMailboxProviderClassifier>();
        return builder;
    }

    /// <summary><c>POST /hooks/{source}</c> and <c>DELETE /api/recipients/{address}</c>.</summary>
    public static WebApplication MapSendEvents(this WebApplication app)
    {
        app.MapHooks();
        app.MapRecipientsApi();
        return app;
    }
}
