using Deliverability.Core.SendEvents.Throttling;

namespace Deliverability.Core.Tests.SendEvents.Sending;

/// <summary>Known replies of the big mailbox providers decoded into what they mean and what to do.</summary>
public sealed class ThrottlingDecoderTests
{
    [Theory]
    [InlineData("yahoo", "4.7.0", "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1", "yahoo-tss04")]
    [InlineData("yahoo", "5.7.2", "553 5.7.2 [TSS09] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed.", "yahoo-tss09")]
    [InlineData("yahoo", "5.7.9", "554 5.7.9 Message not accepted for policy reasons.", "yahoo-dmarc")]
    [InlineData("gmail", "4.7.28", "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.", "gmail-4.7.28")]
    [InlineData("gmail", null, "421-4.7.26 This mail has been rate limited because it is unauthenticated.", "gmail-4.7.26")]
    [InlineData("gmail", "5.7.26", "550-5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy.", "gmail-5.7.26")]
    [InlineData("gmail", "4.7.0", "421-4.7.0 Try again later, closing connection. This IP has been temporarily rate limited.", "gmail-4.7.0-rate")]
    [InlineData("gmail", "4.2.1", "450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.", "gmail-4.2.1")]
    [InlineData("gmail", "5.7.1", "550-5.7.1 Our system has detected that this message is likely unsolicited mail.", "gmail-5.7.1-spam")]
    [InlineData("outlook", "5.7.1", "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", "outlook-s3150")]
    [InlineData("outlook", "5.7.1", "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. (S3140)", "outlook-s3140")]
    [InlineData("outlook", "4.7.650", "451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation.", "outlook-4.7.650")]
    [InlineData("outlook", "5.7.515", "550 5.7.515 Access denied, sending domain shop.example does not meet the required authentication level.", "outlook-5.7.515")]
    [InlineData("orange", null, "421 mwinf5c11 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005 [105]", "orange-ofr005")]
    [InlineData("gmx", null, "421 gmx.net (mxgmx) Nemesis ESMTP Service not available: Too many connections", "gmx-connections")]
    [InlineData("apple", "5.7.0", "554 5.7.0 Blocked - see https://support.apple.com/en-us/HT204137", "apple-blocked")]
    public void A_known_reply_is_decoded(string provider, string? status, string diagnostic, string expected)
    {
        var code = ThrottlingDecoder.Decode(provider, status, diagnostic);

        Assert.NotNull(code);
        Assert.Equal(expected, code.Id);
        Assert.False(string.IsNullOrWhiteSpace(code.Meaning));
        Assert.False(string.IsNullOrWhiteSpace(code.Action));
    }

    [Theory]
    [InlineData("gmail", "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist.")]
    [InlineData("yahoo", "5.1.1", "554 delivery error: dd This user doesn't have a yahoo.com account")]
    [InlineData("gmail", null, null)]
    [InlineData(null, null, "")]
    public void A_reply_without_a_known_code_is_none(string? provider, string? status, string? diagnostic) =>
        Assert.Null(ThrottlingDecoder.Decode(provider, status, diagnostic));

    [Fact]
    public void A_reply_that_means_something_only_at_one_provider_is_decoded_only_there()
    {
        const string Reply = "421 Too many connections, slow down";

        Assert.Equal("orange-connections", ThrottlingDecoder.Decode("orange", null, Reply)?.Id);
        Assert.Equal("gmx-connections", ThrottlingDecoder.Decode("gmx", null, Reply)?.Id);
        Assert.Null(ThrottlingDecoder.Decode("other", null, Reply));
    }

    [Fact]
    public void A_code_given_only_as_the_enhanced_status_is_decoded()
    {
        Assert.Equal("gmail-4.7.28", ThrottlingDecoder.Decode("gmail", "4.7.28", "rate limited")?.Id);
    }

    [Fact]
    public void Every_code_has_a_unique_id_a_meaning_and_an_action() =>
        Assert.All(ThrottlingCodes.All.GroupBy(c => c.Id), group =>
        {
            var code = Assert.Single(group);
            Assert.NotEmpty(code.Tokens);
            Assert.EndsWith(".", code.Meaning, StringComparison.Ordinal);
            Assert.NotEmpty(code.Action);
            Assert.Same(code, ThrottlingDecoder.Find(code.Id));
        });

    [Fact]
    public void A_long_hostile_reply_is_read_in_linear_time_without_a_match()
    {
        var reply = string.Concat(Enumerable.Repeat("4.7.2", 200)) + new string('a', 1000);

        Assert.Null(ThrottlingDecoder.Decode("gmail", "4.7.2", reply));
    }
}
