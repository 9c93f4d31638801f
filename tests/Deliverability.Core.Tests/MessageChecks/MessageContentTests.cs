using Deliverability.Core.Audits;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.BulkSender;
using Deliverability.Core.MessageChecks.Content;
using MimeKit;
using Deliverability.Testing.Mail;

namespace Deliverability.Core.Tests.MessageChecks;

public sealed class MessageContentTests
{
    [Fact]
    public void Good_campaign_has_no_content_warning_or_error()
    {
        var (facts, _, findings) = new MessageContentCheck().Check(TestMessages.Campaign());

        Assert.DoesNotContain(findings, f => f.Severity != Severity.Info);
        Assert.Equal(2, facts.Links);
        Assert.True(facts.TextSimilarity > 0.8);
        Assert.StartsWith("Forty percent off everything until Monday night Black Friday is here", facts.Preheader);
    }

    [Fact]
    public void Html_over_102_kb_is_flagged_as_clipped_by_gmail()
    {
        var padding = "<p>" + new string('x', 200) + "</p>";
        var html = TestMessages.Html(string.Concat(Enumerable.Repeat(padding, 520)));

        var (facts, _, findings) = new MessageContentCheck().Check(TestMessages.Campaign(html: html));

        Assert.True(facts.HtmlBytes > MessageContentCheck.GmailClipBytes);
        Assert.Equal(Severity.Error, Assert.Single(findings, f => f.Code == "message.content.gmail_clipped").Severity);
    }

    [Fact]
    public void Html_just_under_102_kb_is_not_clipped()
    {
        var padding = "<p>" + new string('x', 200) + "</p>";
        var html = TestMessages.Html(string.Concat(Enumerable.Repeat(padding, 400)));

        var (facts, _, findings) = new MessageContentCheck().Check(TestMessages.Campaign(html: html));

        Assert.True(facts.HtmlBytes < MessageContentCheck.GmailClipBytes);
        Assert.DoesNotContain(findings, f => f.Code == "message.content.gmail_clipped");
    }

    [Fact]
    public void Link_showing_one_domain_and_going_to_another_is_flagged_and_shorteners_too()
    {
        var html = TestMessages.Html("""<p><a href="https://bit.ly/3xYz">www.shop.example.test/sale</a> <a href="https://tracking.shop.example.test/c/1">https://shop.example.test/boots</a></p>""");

        var (_, _, findings) = new MessageContentCheck().Check(TestMessages.Campaign(html: html));

        var mismatch = Assert.Single(findings, f => f.Code == "message.links.text_domain_mismatch");
        Assert.Contains("shows www.shop.example.test but goes to bit.ly", mismatch.Message);
        Assert.Equal("bit.ly", Assert.Single(findings, f => f.Code == "message.links.shortener").Subject);
    }

    [Fact]
    public void Image_only_message_without_alt_texts_scripts_and_forms_is_flagged()
    {
        var html = """
            <html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Lato"></head><body>
            <img src="https://cdn.example.test/a.jpg"><img src="https://cdn.example.test/b.jpg">
            <img src="https://t.example.test/o.gif" width="1" height="1"><img src="https://t2.example.test/o.gif" style="display:none">
            <script>alert(1)</script><form action="https://x.example.test"><input name="q"></form>
            </body></html>
            """;

        var (facts, _, findings) = new MessageContentCheck().Check(TestMessages.Campaign(html: html, text: "Sale"));

        Assert.Equal(2, facts.TrackingPixels);
        Assert.Equal(2, facts.ImagesWithoutAlt);
        var codes = findings.Select(f => f.Code).ToHashSet();
        Assert.Superset(new HashSet<string> { "message.content.image_only", "message.content.image_without_alt", "message.content.script", "message.content.form", "message.content.remote_fonts", "message.content.tracking_pixels" }, codes);
    }

    [Fact]
    public void Missing_or_unrelated_text_part_is_flagged()
    {
        var unrelated = new MessageContentCheck().Check(TestMessages.Campaign(text: "Please view this email in a browser that supports HTML content, thank you kindly."));
        Assert.Contains(unrelated.Findings, f => f.Code == "message.content.text_part_differs");

        var message = TestMessages.Campaign();
        message.Body = new TextPart("html") { Text = TestMessages.Html() };
        Assert.Contains(new MessageContentCheck().Check(message).Findings, f => f.Code == "message.content.text_part_missing");
    }

    [Fact]
    public void Bulk_sender_rules_flag_missing_one_click_message_id_date_and_unaudited_from()
    {
        var eml = """
            From: Shop <news@mailer.example.net>
            To: reader@example.org
            Subject: Sale
            List-Unsubscribe: <mailto:u@mailer.example.net>
            Content-Type: text/html; charset=utf-8

            <p>Big sale today on everything in the shop for all our dear customers, come and see.</p>
            """;
        var message = MessageInput.Parse(TestMessages.Bytes(eml), 1 << 20);
        var html = MessageHtml.Parse(message.HtmlBody!);

        var codes = new BulkSenderMessageRules().Check(message, [], html, ["shop.example.test"]).Select(f => f.Code).ToList();

        Assert.Contains("message.bulk.list_unsubscribe_no_https", codes);
        Assert.Contains("message.bulk.one_click_missing", codes);
        Assert.Contains("message.bulk.one_click_unsigned", codes);
        Assert.Contains("message.bulk.visible_unsubscribe_missing", codes);
        Assert.Contains("message.bulk.message_id_invalid", codes);
        Assert.Contains("message.bulk.date_invalid", codes);
        Assert.Contains("message.bulk.from_not_audited", codes);
    }

    [Fact]
    public void Not_a_message_is_refused_with_a_reason()
    {
        Assert.Contains("empty", Assert.Throws<MessageInputException>(() => MessageInput.Parse(Array.Empty<byte>(), 100)).Message);
        Assert.Contains("at most 100", Assert.Throws<MessageInputException>(() => MessageInput.Parse(new byte[101], 100)).Message);
        Assert.Contains("not a message", Assert.Throws<MessageInputException>(() => MessageInput.Parse("just some words\r\n"u8.ToArray(), 100)).Message);
    }

    [Fact]
    public void Score_takes_spam_points_and_findings_from_ten()
    {
        Finding[] findings = [Finding.Error("a", "", ""), Finding.Warning("b", "", ""), Finding.Info("c", "")];

        Assert.Equal(10, MessageScore.Compute([], null));
        Assert.Equal(8, MessageScore.Compute(findings, null));
        Assert.Equal(5.5, MessageScore.Compute(findings, new Core.MessageChecks.SpamAssassin.SpamAssassinResult(2.5, 5, false, [])));
        Assert.Equal(8, MessageScore.Compute(findings, new Core.MessageChecks.SpamAssassin.SpamAssassinResult(-1.2, 5, false, [])));
        Assert.Equal(0, MessageScore.Compute(findings, new Core.MessageChecks.SpamAssassin.SpamAssassinResult(30, 5, true, [])));
    }
}
