namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>The labels of the sending alerts, beside <see cref="Core.Alerts.AlertLabels"/>'s.</summary>
public static class SendingAlertLabels
{
    /// <summary>The send stream (<c>transactional</c>, <c>marketing</c>, ...).</summary>
    public const string Stream = "stream";

    /// <summary>The recipients' mailbox provider (<c>gmail</c>, <c>yahoo</c>, <c>outlook</c>, ...).</summary>
    public const string MailboxProvider = "mailbox_provider";

    /// <summary>Which rate crossed its threshold: <c>bounce</c>, <c>block</c>, <c>deferral</c> or <c>complaint</c>.</summary>
    public const string Rate = "rate";

    /// <summary>The throttling code's id (<c>yahoo-tss04</c>).</summary>
    public const string Code = "code";
}
