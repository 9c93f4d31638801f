using Deliverability.Core.MessageChecks.Authentication;
using Deliverability.Core.MessageChecks.Mailbox;
using MimeKit;

namespace Deliverability.Core.Tests.MessageChecks;

/// <summary>Tagged check addresses, and the SMTP client named by the topmost Received header.</summary>
public sealed class CheckAddressTests
{
    [Fact]
    public void A_tag_is_added_after_a_plus_and_found_again_only_in_an_address_of_that_mailbox()
    {
        var tag = CheckAddress.NewTag();
        var address = CheckAddress.For("checks@example.test", tag);

        Assert.Equal($"checks+{tag}@example.test", address);
        Assert.True(CheckAddress.IsTag(tag));
        Assert.Equal([tag], CheckAddress.TagsIn("checks@example.test", $"Reader <{address.ToUpperInvariant()}>, other@example.org"));
        Assert.Empty(CheckAddress.TagsIn("checks@example.test", $"someone+{tag}@example.test"));
        Assert.Empty(CheckAddress.TagsIn("checks@example.test", $"checks+{tag}@elsewhere.test"));
        Assert.NotEqual(tag, CheckAddress.NewTag());
    }

    [Theory]
    [InlineData("from mail.shop.example (mail.shop.example [192.0.2.10])\r\n\tby mx.example.test (Postfix) with ESMTPS id 4Xyz\r\n\tfor <checks+abc@example.test>; Thu, 3 Dec 2026 08:00:00 +0000", "192.0.2.10", "mail.shop.example")]
    [InlineData("from [192.0.2.11] (unknown [192.0.2.11]) by mx.example.test (Postfix) with SMTP id 1; Thu, 3 Dec 2026 08:00:00 +0000", "192.0.2.11", null)]
    [InlineData("from out.shop.example (out.shop.example [IPv6:2001:db8::25]) by mx.example.test with ESMTPSA; Thu, 3 Dec 2026 08:00:00 +0000", "2001:db8::25", "out.shop.example")]
    public void The_topmost_received_header_of_an_smtp_delivery_names_the_client(string received, string ip, string? helo)
    {
        var message = new MimeMessage();
        message.Headers.Add("Received", received);
        message.Headers.Add("Received", "from forged.example (forged.example [203.0.113.1]) by relay with ESMTP; Thu, 3 Dec 2026 07:00:00 +0000");

        var origin = ReceivedHeader.TopmostOf(message);

        Assert.NotNull(origin);
        Assert.Equal(ip, origin.Ip.ToString());
        Assert.Equal(helo, origin.Helo);
    }

    [Fact]
    public void A_local_delivery_or_no_received_header_names_no_client()
    {
        var local = new MimeMessage();
        local.Headers.Add("Received", "by mx.example.test (Postfix, from userid 1000) id 4Xyz; Thu, 3 Dec 2026 08:00:00 +0000");

        Assert.Null(ReceivedHeader.TopmostOf(local));
        Assert.Null(ReceivedHeader.TopmostOf(new MimeMessage()));
    }
}
