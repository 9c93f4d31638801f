using Deliverability.Core.Placement;

namespace Deliverability.Core.Tests.Placement;

public sealed class PlacementOptionsValidationTests
{
    private static PlacementOptions Valid() => new()
    {
        Seeds = [new SeedMailboxOptions { Provider = "Gmail", Address = "seed@gmail.test", Imap = new ImapAccountOptions { Host = "imap.gmail.test", User = "seed", Password = "pw" } }],
        SendPaths = [new SendPathOptions { Name = "mta", Host = "smtp.example.test" }],
        Message = new PlacementMessageOptions { From = "Shop <news@shop.test>" },
    };

    [Fact]
    public void Complete_settings_have_no_problem()
    {
        Assert.Empty(PlacementOptionsValidation.Problems(Valid()));
    }

    [Fact]
    public void No_seeds_is_valid_placement_is_simply_off()
    {
        Assert.Empty(PlacementOptionsValidation.Problems(new PlacementOptions()));
    }

    [Fact]
    public void Missing_password_names_the_key_and_the_environment_variable()
    {
        var options = Valid();
        options.Seeds[0].Imap.Password = "";

        var problem = Assert.Single(PlacementOptionsValidation.Problems(options));

        Assert.Equal("Monitor:Placement:Seeds:0:Imap:Password: is required (set it in configuration or the environment variable Monitor__Placement__Seeds__0__Imap__Password)", problem);
    }

    [Fact]
    public void Duplicate_seed_address_and_send_path_name_name_both_keys()
    {
        var options = Valid();
        options.Seeds.Add(new SeedMailboxOptions { Provider = "Gmail", Address = "SEED@gmail.test", Imap = options.Seeds[0].Imap });
        options.SendPaths.Add(new SendPathOptions { Name = "MTA", Host = "127.0.0.1" });

        var problems = PlacementOptionsValidation.Problems(options);

        Assert.Contains("Monitor:Placement:Seeds:1:Address: 'SEED@gmail.test' is already configured at Monitor:Placement:Seeds:0", problems);
        Assert.Contains("Monitor:Placement:SendPaths:1:Name: 'MTA' is already configured at Monitor:Placement:SendPaths:0", problems);
    }

    [Fact]
    public void Seeds_without_a_send_path_or_from_address_are_refused()
    {
        var options = Valid();
        options.SendPaths.Clear();
        options.Message.From = "";

        var problems = PlacementOptionsValidation.Problems(options);

        Assert.Contains("Monitor:Placement:SendPaths: at least one send path is required when seeds are configured", problems);
        Assert.Contains(problems, p => p.StartsWith("Monitor:Placement:Message:From:", StringComparison.Ordinal));
    }

    [Fact]
    public void Smtp_user_without_password_is_refused_and_the_password_never_appears()
    {
        var options = Valid();
        options.SendPaths[0].User = "mailer";
        options.Seeds[0].Imap.Password = "hunter2";
        options.Seeds[0].Imap.Host = "bad host";

        var problems = PlacementOptionsValidation.Problems(options);

        Assert.Contains(problems, p => p.StartsWith("Monitor:Placement:SendPaths:0:Password: is required when", StringComparison.Ordinal));
        Assert.Contains("Monitor:Placement:Seeds:0:Imap:Host: 'bad host' is not a host name or IP address", problems);
        Assert.DoesNotContain(problems, p => p.Contains("hunter2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ssl", 993, 465)]
    [InlineData("starttls", 143, 587)]
    [InlineData("none", 143, 25)]
    public void Port_zero_means_the_usual_port_of_the_security_mode(string security, int imapPort, int smtpPort)
    {
        Assert.Equal(imapPort, MailSecurity.ImapPort(new ImapAccountOptions { Security = security }));
        Assert.Equal(smtpPort, MailSecurity.SmtpPort(new SendPathOptions { Security = security }));
    }

    [Fact]
    public void Token_of_a_run_is_found_in_text_and_a_token_of_another_run_is_not()
    {
        var run = Guid.NewGuid();

        Assert.Equal(17, PlacementMessage.SeedIndexIn($"Reference: {PlacementMessage.Token(run, 17)}\r\n", run));
        Assert.Null(PlacementMessage.SeedIndexIn($"Reference: {PlacementMessage.Token(Guid.NewGuid(), 17)}", run));
        Assert.Null(PlacementMessage.SeedIndexIn(null, run));
    }

    [Fact]
    public void Test_message_carries_the_token_in_a_header_and_both_bodies_and_the_unsubscribe_headers()
    {
        var options = new PlacementMessageOptions { From = "Shop <news@shop.test>", ListUnsubscribe = "<mailto:u@shop.test>", ListUnsubscribePost = "List-Unsubscribe=One-Click" };

        var message = PlacementMessage.Create(options, "seed@gmail.test", "abc.3", DateTimeOffset.UnixEpoch);

        Assert.Equal("abc.3", message.Headers[PlacementMessage.TokenHeader]);
        Assert.Contains("abc.3", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("abc.3", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("<mailto:u@shop.test>", message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.EndsWith("@shop.test", message.MessageId, StringComparison.Ordinal);
    }
}
