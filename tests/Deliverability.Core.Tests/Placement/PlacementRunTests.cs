using Deliverability.Core.Placement;

namespace Deliverability.Core.Tests.Placement;

/// <summary>What one run reports per seed and per provider, from real SMTP and IMAP servers (see <see cref="PlacementScenario"/>).</summary>
public sealed class PlacementRunTests(PlacementScenario scenario) : IClassFixture<PlacementScenario>
{
    [Fact]
    public void Every_seed_gets_its_own_result_and_the_run_finishes()
    {
        Assert.Equal(PlacementScenario.Seeds, scenario.Report.Seeds.Select(s => (s.Address, s.Status)));
    }

    [Fact]
    public void Message_filed_in_the_inbox_is_inbox_with_the_receivers_passing_authentication()
    {
        var seed = scenario.Seed("inbox@gmail.test");

        Assert.Equal((SeedPlacementStatus.Inbox, "INBOX"), (seed.Status, seed.Folder));
        Assert.Equal(new ReceiverAuthentication("pass", "pass", "pass"), seed.Authentication);
        Assert.Equal([PlacementScenario.AuthPasses["Authentication-Results: ".Length..]], seed.AuthenticationResults);
        Assert.NotNull(seed.DeliveryTime);
    }

    [Fact]
    public void Message_filed_in_the_junk_folder_is_spam()
    {
        var seed = scenario.Seed("spam@gmail.test");

        Assert.Equal((SeedPlacementStatus.Spam, "Junk"), (seed.Status, seed.Folder));
    }

    [Fact]
    public void Message_filed_in_another_folder_is_other_with_the_folder_name()
    {
        var seed = scenario.Seed("promo@outlook.test");

        Assert.Equal((SeedPlacementStatus.Other, "Promotions"), (seed.Status, seed.Folder));
    }

    [Fact]
    public void Message_accepted_then_dropped_is_missing_not_an_error()
    {
        var seed = scenario.Seed("dropped@outlook.test");

        Assert.Equal(SeedPlacementStatus.Missing, seed.Status);
        Assert.Null(seed.Error);
        Assert.NotNull(seed.SentAt);
        Assert.Equal(1, scenario.SmtpReceived["dropped@outlook.test"]);
    }

    [Fact]
    public void Delayed_message_is_found_and_its_delivery_time_covers_the_delay()
    {
        var seed = scenario.Seed("late@yahoo.test");

        Assert.Equal(SeedPlacementStatus.Inbox, seed.Status);
        // INTERNALDATE has whole seconds: the measured time can fall short of the delay by less than one.
        Assert.True(seed.DeliveryTime >= PlacementScenario.Delay - TimeSpan.FromSeconds(1), $"delivery time {seed.DeliveryTime}");
    }

    [Fact]
    public void Authentication_failures_reported_by_the_receiver_are_parsed_per_method()
    {
        var seed = scenario.Seed("authfail@yahoo.test");

        Assert.Equal(SeedPlacementStatus.Inbox, seed.Status);
        Assert.Equal(new ReceiverAuthentication("fail", "fail", "fail"), seed.Authentication);
        Assert.True(seed.Authentication.HasFailure);
    }

    [Fact]
    public void Malformed_authentication_results_keep_what_can_be_read_and_the_raw_header()
    {
        var seed = scenario.Seed("garbled@yahoo.test");

        Assert.Equal(SeedPlacementStatus.Inbox, seed.Status);
        Assert.Equal(new ReceiverAuthentication(null, null, "fail"), seed.Authentication);
        Assert.Equal([PlacementScenario.GarbledAuth["Authentication-Results: ".Length..]], seed.AuthenticationResults);
    }

    [Fact]
    public void Wrong_imap_password_is_an_error_naming_the_login_not_missing()
    {
        var seed = scenario.Seed("badpassword@orange.test");

        Assert.Equal(SeedPlacementStatus.Error, seed.Status);
        Assert.Contains("login refused", seed.Error, StringComparison.Ordinal);
        Assert.Contains("'dave'", seed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-dave-pw", seed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Imap_server_that_is_down_is_an_error_saying_unreachable()
    {
        var seed = scenario.Seed("down@gmx.test");

        Assert.Equal(SeedPlacementStatus.Error, seed.Status);
        Assert.Contains("unreachable", seed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_handshake_failure_is_an_error_saying_so()
    {
        var seed = scenario.Seed("tls@gmx.test");

        Assert.Equal(SeedPlacementStatus.Error, seed.Status);
        Assert.Contains("TLS handshake failed", seed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipient_refused_by_the_send_path_is_an_error_with_the_smtp_reply()
    {
        var seed = scenario.Seed("refused@gmx.test");

        Assert.Equal(SeedPlacementStatus.Error, seed.Status);
        Assert.Contains("refused the message: 550", seed.Error, StringComparison.Ordinal);
        Assert.Null(seed.SentAt);
    }

    [Fact]
    public void Message_whose_token_header_was_stripped_is_found_by_the_token_in_its_body()
    {
        Assert.Equal(SeedPlacementStatus.Inbox, scenario.Seed("stripped@gmx.test").Status);
    }

    [Fact]
    public void Seeds_sharing_a_mailbox_share_one_imap_login()
    {
        Assert.Equal(1, scenario.Imap.LoginCount("alice"));
        Assert.Equal(1, scenario.Imap.LoginCount("bob"));
        Assert.Equal(1, scenario.Imap.LoginCount("carol"));
        Assert.Equal(1, scenario.Imap.LoginCount("erin"));
        Assert.Equal(0, scenario.Imap.LoginCount("dave"));
    }

    [Fact]
    public void Test_messages_found_are_deleted_after_the_run()
    {
        Assert.Equal(0, scenario.Imap.MessageCount("alice", "INBOX"));
        Assert.Equal(0, scenario.Imap.MessageCount("alice", "Junk"));
        Assert.Equal(0, scenario.Imap.MessageCount("bob", "Promotions"));
        Assert.Equal(0, scenario.Imap.MessageCount("carol", "INBOX"));
        // Never read (wrong password), so never deleted: proof the count looks at the right place.
        Assert.Equal(1, scenario.Imap.MessageCount("dave", "INBOX"));
    }

    [Fact]
    public void Rates_are_over_measured_seeds_overall_and_per_provider()
    {
        var overall = scenario.Report.Overall;
        Assert.Equal(new PlacementRates(12, 5, 1, 1, 1, 4), overall);
        Assert.Equal(5.0 / 8, overall.InboxRate);

        var providers = scenario.Report.Providers.ToDictionary(p => p.Provider, p => p.Rates);
        Assert.Equal(["Gmail", "GMX", "Orange", "Outlook", "Yahoo"], providers.Keys);
        Assert.Equal(0.5, providers["Gmail"].InboxRate);
        Assert.Equal(1.0, providers["Yahoo"].InboxRate);
        Assert.Equal(1.0, providers["GMX"].InboxRate); // 1 inbox, 3 errors: errors are not measurements
        Assert.Null(providers["Orange"].InboxRate);
        Assert.Equal(0.0, providers["Outlook"].InboxRate);
    }
}
