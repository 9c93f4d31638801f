using System.Text;
using MimeKit;

namespace Deliverability.Testing.Mail;

/// <summary>Campaign messages built by the tests (the message checks' Core tests, the service and the dashboard).</summary>
public static class TestMessages
{
    public const string UnsubscribeUrl = "https://shop.example.test/u/42";

    /// <summary>A good marketing message of shop.example.test: one-click headers, a visible unsubscribe link, a text part like the HTML.</summary>
    public static MimeMessage Campaign(string fromDomain = "shop.example.test", string? html = null, string? text = null, bool oneClick = true)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Shop", $"news@{fromDomain}"));
        message.To.Add(new MailboxAddress("", "reader@example.org"));
        message.Subject = "Black Friday: 40% off everything";
        message.Date = DateTimeOffset.UtcNow.AddMinutes(-5);
        message.MessageId = $"bf.{Guid.NewGuid():N}@{fromDomain}";
        if (oneClick)
        {
            message.Headers.Add(HeaderId.ListUnsubscribe, $"<{UnsubscribeUrl}>, <mailto:unsubscribe@{fromDomain}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var builder = new BodyBuilder
        {
            HtmlBody = html ?? Html(),
            TextBody = text ?? Text(),
        };
        message.Body = builder.ToMessageBody();
        return message;
    }

    public static string Html(string extra = "") => $"""
        <html><body style="font-family:Arial,sans-serif">
        <div style="display:none">Forty percent off everything until Monday night</div>
        <h1>Black Friday is here</h1>
        <p>Everything in the shop is forty percent off until Monday night. Winter coats, boots, gloves and scarves,
        gifts for the whole family and treats for yourself: order before Monday and delivery is free.</p>
        <p><a href="https://shop.example.test/sale">See the sale</a></p>
        <p><img src="https://cdn.example.test/coat.jpg" alt="A red winter coat" width="300" height="200"></p>
        {extra}
        <p style="font-size:12px">You receive this because you subscribed. <a href="{UnsubscribeUrl}">Unsubscribe</a></p>
        </body></html>
        """;

    public static string Text() => """
        Black Friday is here

        Everything in the shop is forty percent off until Monday night. Winter coats, boots, gloves and scarves,
        gifts for the whole family and treats for yourself: order before Monday and delivery is free.

        See the sale: https://shop.example.test/sale

        You receive this because you subscribed. Unsubscribe: https://shop.example.test/u/42
        """;

    public static byte[] Bytes(string eml) => Encoding.UTF8.GetBytes(eml.ReplaceLineEndings("\r\n"));
}
