using Deliverability.Load;
using Deliverability.Testing.Mail;

namespace Deliverability.LoadScenarios.Tests;

public sealed class SmtpSubmissionScenarioTests
{
    private static SmtpTarget Target(SmtpSink sink, int connections = 2, int messagesPerConnection = 5) => new()
    {
        Host = sink.Host,
        Port = sink.Port,
        From = "loadtest@example.com",
        Recipients = ["a@example.com", "b@example.com"],
        Connections = connections,
        MessagesPerConnection = messagesPerConnection,
        CommandTimeout = TimeSpan.FromSeconds(10),
    };

    private static Task<RunReport> RunAsync(ScenarioProps scenario, double rate, TimeSpan duration) =>
        LoadRunner.RunAsync(scenario.WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), duration)),
            new LoadRunOptions { MaxDuration = duration + TimeSpan.FromSeconds(20), TestName = "smtp test", Seed = 1 });

    private static long StepCount(ScenarioReport scenario, string step) => scenario.FindStep(step)?.Stats.Count ?? 0;

    [Fact]
    public async Task Pipelined_submission_times_connect_ehlo_the_pipelined_envelope_data_and_quit()
    {
        await using var sink = await SmtpSink.StartAsync();
        var report = await RunAsync(SmtpSubmissionScenario.Create("smtp", Target(sink, connections: 1, messagesPerConnection: 5)), rate: 20, TimeSpan.FromSeconds(1));

        var scenario = report.Scenarios.Single();
        Assert.Equal(20, scenario.Stats.Count);
        Assert.Equal(20, scenario.Stats.Outcomes[OutcomeClass.SmtpAccepted]);
        // One worker, five messages a connection: four connections, each opened with EHLO and closed with QUIT.
        Assert.Equal(4, StepCount(scenario, SmtpSubmissionScenario.ConnectStep));
        Assert.Equal(4, StepCount(scenario, SmtpSubmissionScenario.EhloStep));
        Assert.Equal(4, StepCount(scenario, SmtpSubmissionScenario.QuitStep));
        Assert.Equal(20, StepCount(scenario, SmtpSubmissionScenario.PipelinedEnvelopeStep));
        Assert.Equal(20, StepCount(scenario, SmtpSubmissionScenario.DataStep));
        Assert.Null(scenario.FindStep(SmtpSubmissionScenario.MailStep));
        Assert.Null(scenario.FindStep(SmtpSubmissionScenario.StartTlsStep));
    }

    [Fact]
    public async Task Without_pipelining_mail_and_rcpt_are_separate_steps()
    {
        await using var sink = await SmtpSink.StartAsync("-p");
        var report = await RunAsync(SmtpSubmissionScenario.Create("smtp", Target(sink) with { RecipientsPerMessage = 2 }), rate: 10, TimeSpan.FromSeconds(1));

        var scenario = report.Scenarios.Single();
        Assert.Equal(10, scenario.Stats.Outcomes[OutcomeClass.SmtpAccepted]);
        Assert.Equal(10, StepCount(scenario, SmtpSubmissionScenario.MailStep));
        Assert.Equal(10, StepCount(scenario, SmtpSubmissionScenario.RcptStep));
        Assert.Null(scenario.FindStep(SmtpSubmissionScenario.PipelinedEnvelopeStep));
    }

    [Theory]
    [InlineData("-r", "DATA", SmtpSubmissionScenario.DataStep, OutcomeClass.SmtpDeferred)]
    [InlineData("-f", "DATA", SmtpSubmissionScenario.DataStep, OutcomeClass.SmtpRejected)]
    [InlineData("-f", ".", SmtpSubmissionScenario.DataStep, OutcomeClass.SmtpRejected)]
    [InlineData("-f", "RCPT", SmtpSubmissionScenario.RcptStep, OutcomeClass.SmtpRejected)]
    [InlineData("-r", "MAIL", SmtpSubmissionScenario.MailStep, OutcomeClass.SmtpDeferred)]
    [InlineData("-q", "DATA", SmtpSubmissionScenario.DataStep, OutcomeClass.ConnectionReset)]
    [InlineData("-Q", "RCPT", SmtpSubmissionScenario.RcptStep, OutcomeClass.SmtpDeferred)]
    public async Task A_refusal_or_a_disconnect_is_counted_on_its_step_and_the_next_message_reconnects(string option, string command, string step, OutcomeClass outcome)
    {
        await using var sink = await SmtpSink.StartAsync("-p", option, command);
        var report = await RunAsync(SmtpSubmissionScenario.Create("smtp", Target(sink, connections: 1, messagesPerConnection: 100)), rate: 8, TimeSpan.FromSeconds(1));

        var scenario = report.Scenarios.Single();
        var story = $"planned {scenario.Planned} started {scenario.Started} dropped {scenario.DroppedStarts} interrupted {scenario.Interrupted} count {scenario.Stats.Count}; " + string.Join(", ", scenario.TopErrors.Select(e => $"{e.Step} {e.Outcome} {e.Message} x{e.Count}"));
        Assert.True(8 == scenario.Stats.Count, story);
        Assert.True(8 == scenario.Stats.Outcomes[outcome], story);
        story += " | " + string.Join("; ", scenario.Steps.Select(st => st.Name + ": " + string.Join(",", st.Stats.Outcomes.Where(o => o.Value > 0).Select(o => $"{o.Key}={o.Value}"))));
        Assert.True(8 == scenario.FindStep(step)!.Stats.Outcomes[outcome], story);
        // Every failure dropped the connection: each message opened a new one.
        Assert.Equal(8, StepCount(scenario, SmtpSubmissionScenario.ConnectStep));
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_connection_refused_at_connect()
    {
        var target = new SmtpTarget { Host = "127.0.0.1", Port = Deliverability.Testing.Network.FreePort.Tcp(), From = "loadtest@example.com", Recipients = ["a@example.com"] };
        var report = await RunAsync(SmtpSubmissionScenario.Create("smtp", target), rate: 5, TimeSpan.FromSeconds(1));

        var connect = report.Scenarios.Single().FindStep(SmtpSubmissionScenario.ConnectStep)!;
        Assert.Equal(5, connect.Stats.Outcomes[OutcomeClass.ConnectionRefused]);
        Assert.Equal(5, report.Scenarios.Single().Stats.Outcomes[OutcomeClass.ConnectionRefused]);
    }

    [Fact]
    public async Task Required_starttls_on_a_server_without_it_is_a_tls_failure()
    {
        await using var sink = await SmtpSink.StartAsync();
        var report = await RunAsync(SmtpSubmissionScenario.Create("smtp", Target(sink) with { StartTls = StartTlsMode.Required }), rate: 4, TimeSpan.FromSeconds(1));

        var scenario = report.Scenarios.Single();
        Assert.Equal(4, scenario.Stats.Outcomes[OutcomeClass.TlsFailure]);
        Assert.Equal(4, scenario.FindStep(SmtpSubmissionScenario.StartTlsStep)!.Stats.Outcomes[OutcomeClass.TlsFailure]);
        Assert.Null(scenario.FindStep(SmtpSubmissionScenario.DataStep));
    }

    [Fact]
    public async Task A_server_that_stops_answering_is_a_timeout()
    {
        await using var sink = await SmtpSink.StartAsync();
        sink.Freeze();
        var report = await RunAsync(SmtpSubmissionScenario.Create("smtp", Target(sink) with { CommandTimeout = TimeSpan.FromMilliseconds(500) }), rate: 2, TimeSpan.FromSeconds(1));
        sink.Thaw();

        Assert.Equal(2, report.Scenarios.Single().Stats.Outcomes[OutcomeClass.Timeout]);
    }

    [Fact]
    public async Task Auth_step_logs_in_with_the_password_from_the_environment_variable()
    {
        await using var server = Deliverability.Testing.Mail.TestSmtpServer.Start(user: "loader", password: "s3cret-pw");
        var target = new SmtpTarget
        {
            Host = server.Host,
            Port = server.Port,
            From = "loadtest@example.com",
            Recipients = ["a@example.com"],
            Connections = 1,
            User = "loader",
            PasswordEnvironmentVariable = "TEST_SMTP_PASSWORD",
        };
        var scenario = SmtpSubmissionScenario.Create("smtp", target, name => name == "TEST_SMTP_PASSWORD" ? "s3cret-pw" : null);
        var report = await RunAsync(scenario, rate: 3, TimeSpan.FromSeconds(1));

        var result = report.Scenarios.Single();
        Assert.Equal(3, result.Stats.Outcomes[OutcomeClass.SmtpAccepted]);
        Assert.Equal(1, result.FindStep(SmtpSubmissionScenario.AuthStep)!.Stats.Ok);
        Assert.Equal(3, (await server.WaitForMessagesAsync(3)).Count);
        Assert.All(server.Messages, mail => Assert.Equal("loader", mail.User));
    }

    [Fact]
    public void A_missing_password_variable_is_refused_before_running_and_names_the_variable()
    {
        var target = new SmtpTarget { Host = "127.0.0.1", From = "loadtest@example.com", Recipients = ["a@example.com"], User = "u", PasswordEnvironmentVariable = "NOT_SET_ANYWHERE" };

        var error = Assert.Throws<LoadConfigurationException>(() => SmtpSubmissionScenario.Create("smtp", target, _ => null));
        Assert.Contains("NOT_SET_ANYWHERE", error.Message);
    }

    [Fact]
    public async Task The_message_has_the_configured_size()
    {
        await using var server = Deliverability.Testing.Mail.TestSmtpServer.Start();
        var target = new SmtpTarget { Host = server.Host, Port = server.Port, From = "loadtest@example.com", Recipients = ["a@example.com"], MessageSizeBytes = 10 * 1024 };
        var report = await RunAsync(SmtpSubmissionScenario.Create("smtp", target), rate: 1, TimeSpan.FromSeconds(1));

        var mail = (await server.WaitForMessagesAsync(1)).Single();
        using var written = new MemoryStream();
        await mail.Message.WriteToAsync(written);
        Assert.InRange(written.Length, 10 * 1024 - 200, 10 * 1024 + 200);
        Assert.InRange(report.Scenarios.Single().FindStep(SmtpSubmissionScenario.DataStep)!.Stats.Bytes, 10 * 1024 - 200, 10 * 1024 + 200);
    }
}
