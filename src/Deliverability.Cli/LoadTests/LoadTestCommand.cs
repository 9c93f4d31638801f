using System.CommandLine;
using Deliverability.Load;
using Deliverability.LoadScenarios;

namespace Deliverability.Cli.LoadTests;

/// <summary>
/// <c>monitor loadtest</c>: load the SMTP submission server or HTTP send API (<c>smtp</c>, <c>http</c>), run a scenario
/// file (<c>run</c>), find the highest rate that holds the thresholds (<c>capacity smtp|http</c>), and merge the reports
/// of several generators (<c>merge</c>). Exit code 0 thresholds held, 1 breached (capacity: no rate held), 2 bad usage,
/// a bad file, or a refused target or recipient (refused before any connection).
/// </summary>
public static class LoadTestCommand
{
    public const int Breached = 1;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("loadtest", "Load-test a send path on 127.0.0.1 (or an allow-listed host): SMTP submission or an HTTP send API, at a planned rate, with latency from the planned start. Exit code 0 thresholds held, 1 breached, 2 bad usage or a refused target.");
        command.Subcommands.Add(Smtp(stdout, stderr));
        command.Subcommands.Add(Http(stdout, stderr));
        command.Subcommands.Add(RunFile(stdout, stderr));
        command.Subcommands.Add(Capacity(stdout, stderr));
        command.Subcommands.Add(LoadTestMerge.Create(stdout, stderr));
        return command;
    }

    private static Command Smtp(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("smtp", "Send test messages to an SMTP submission server at a constant rate (steps: connect, ehlo, starttls, auth, mail, rcpt or mail+rcpt, data, quit).");
        var target = new SmtpTargetCliOptions();
        var load = new LoadShapeCliOptions(rateRequired: true);
        var run = new RunCliOptions();
        target.AddTo(command);
        load.AddTo(command);
        run.AddTo(command);
        command.SetAction((parsed, cancellationToken) => LoadTestRun.ExecuteAsync(() => new LoadTestDefinition
        {
            Name = "smtp",
            Kind = LoadTestKind.Smtp,
            Smtp = target.Target(parsed),
            Load = load.Shape(parsed),
            Thresholds = run.Thresholds(parsed),
            MaxMessages = load.MaxMessages(parsed),
        }, run, parsed, stdout, stderr, cancellationToken));
        return command;
    }

    private static Command Http(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("http", "Send requests to an HTTP send API or webhook at a constant rate (step: request).");
        var target = new HttpTargetCliOptions();
        var load = new LoadShapeCliOptions(rateRequired: true);
        var run = new RunCliOptions();
        target.AddTo(command);
        load.AddTo(command);
        run.AddTo(command);
        command.SetAction((parsed, cancellationToken) => LoadTestRun.ExecuteAsync(() => new LoadTestDefinition
        {
            Name = "http",
            Kind = LoadTestKind.Http,
            Http = target.Target(parsed),
            Load = load.Shape(parsed),
            Thresholds = run.Thresholds(parsed),
            MaxMessages = load.MaxMessages(parsed),
        }, run, parsed, stdout, stderr, cancellationToken));
        return command;
    }

    private static Command RunFile(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("scenario") { Description = "A scenario file (loadtests/*.json)" };
        var command = new Command("run", "Run a scenario file: a constant rate, a ramp, a peak-day profile, or a capacity search.");
        command.Arguments.Add(file);
        var run = new RunCliOptions();
        run.AddTo(command, thresholds: false);
        command.SetAction((parsed, cancellationToken) =>
            LoadTestRun.ExecuteAsync(() => LoadTestDefinitions.Load(parsed.GetValue(file)!), run, parsed, stdout, stderr, cancellationToken));
        return command;
    }

    private static Command Capacity(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("capacity", "Find the knee: the highest constant rate at which the thresholds hold (default p99<1000ms and error_rate<1%). Exit code 1 when no rate held.");
        var smtp = new Command("smtp", "Capacity search of an SMTP submission server.");
        var smtpTarget = new SmtpTargetCliOptions();
        var smtpCapacity = new CapacityCliOptions();
        var smtpRun = new RunCliOptions();
        smtpTarget.AddTo(smtp);
        smtpCapacity.AddTo(smtp);
        smtpRun.AddTo(smtp);
        smtp.SetAction((parsed, cancellationToken) => LoadTestRun.ExecuteAsync(() => new LoadTestDefinition
        {
            Name = "smtp-capacity",
            Kind = LoadTestKind.Smtp,
            Smtp = smtpTarget.Target(parsed),
            Capacity = smtpCapacity.Shape(parsed),
            Thresholds = smtpRun.Thresholds(parsed),
        }, smtpRun, parsed, stdout, stderr, cancellationToken));

        var http = new Command("http", "Capacity search of an HTTP send API.");
        var httpTarget = new HttpTargetCliOptions();
        var httpCapacity = new CapacityCliOptions();
        var httpRun = new RunCliOptions();
        httpTarget.AddTo(http);
        httpCapacity.AddTo(http);
        httpRun.AddTo(http);
        http.SetAction((parsed, cancellationToken) => LoadTestRun.ExecuteAsync(() => new LoadTestDefinition
        {
            Name = "http-capacity",
            Kind = LoadTestKind.Http,
            Http = httpTarget.Target(parsed),
            Capacity = httpCapacity.Shape(parsed),
            Thresholds = httpRun.Thresholds(parsed),
        }, httpRun, parsed, stdout, stderr, cancellationToken));

        command.Subcommands.Add(smtp);
        command.Subcommands.Add(http);
        return command;
    }
}
