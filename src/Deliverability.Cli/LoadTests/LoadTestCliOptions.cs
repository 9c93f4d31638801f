using System.CommandLine;
using Deliverability.LoadScenarios;

namespace Deliverability.Cli.LoadTests;

/// <summary>The SMTP target of <c>monitor loadtest smtp</c> and <c>capacity smtp</c>.</summary>
internal sealed class SmtpTargetCliOptions
{
    /// <summary>Where <c>--user</c>'s password is read from: never an option, so it is not in the shell history or the process list.</summary>
    public const string PasswordVariable = "MONITOR_SMTP_PASSWORD";

    private readonly Option<string> _host = new("--host") { Description = "The SMTP server (loopback unless --allow-host names it)", Required = true };
    private readonly Option<int> _port = NumberOptions.WholeNumber("--port", "The SMTP port (default 25)", 25, 1, 65535);
    private readonly Option<string> _from = new("--from") { Description = "The envelope sender and From: address", Required = true };
    private readonly Option<string[]> _to = new("--to") { Description = "A recipient at a sink domain (.test, .example, .invalid, example.com...) or --allow-recipient-domain (repeatable; taken in turn)", Required = true, AllowMultipleArgumentsPerToken = false };
    private readonly Option<int> _recipientsPerMessage = NumberOptions.WholeNumber("--recipients-per-message", "RCPT TO commands per message (1-100, default 1)", 1, 1, 100);
    private readonly Option<int> _connections = NumberOptions.WholeNumber("--connections", "Connections at most, one per worker (1-10000, default 10)", 10, 1, 10_000);
    private readonly Option<int> _messagesPerConnection = NumberOptions.WholeNumber("--messages-per-connection", "Messages on a connection before QUIT and reconnect (default 100)", 100, 1, 1_000_000);
    private readonly Option<long?> _size = LoadTestOptionValues.Size("--size", "Message size, headers included: 1KiB, 10KB, 1MiB (default 1KiB)");
    private readonly Option<bool> _startTls = new("--starttls") { Description = "Require STARTTLS (a server without it is a TLS failure)" };
    private readonly Option<bool> _noVerify = new("--no-verify-certificate") { Description = "With --starttls: accept any server certificate (a test MTA's self-signed one)" };
    private readonly Option<string?> _user = new("--user") { Description = $"AUTH as this user; the password is read from {PasswordVariable}" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _host, _port, _from, _to, _recipientsPerMessage, _connections, _messagesPerConnection, _size, _startTls, _noVerify, _user })
        {
            command.Options.Add(option);
        }
    }

    public SmtpTarget Target(ParseResult parsed) => new()
    {
        Host = parsed.GetValue(_host)!,
        Port = parsed.GetValue(_port),
        From = parsed.GetValue(_from)!,
        Recipients = parsed.GetValue(_to) ?? [],
        RecipientsPerMessage = parsed.GetValue(_recipientsPerMessage),
        Connections = parsed.GetValue(_connections),
        MessagesPerConnection = parsed.GetValue(_messagesPerConnection),
        MessageSizeBytes = parsed.GetValue(_size) ?? 1024,
        StartTls = parsed.GetValue(_startTls) ? StartTlsMode.Required : StartTlsMode.Off,
        VerifyCertificate = !parsed.GetValue(_noVerify),
        User = parsed.GetValue(_user),
        PasswordEnvironmentVariable = parsed.GetValue(_user) is null ? null : PasswordVariable,
    };
}

/// <summary>The HTTP target of <c>monitor loadtest http</c> and <c>capacity http</c>.</summary>
internal sealed class HttpTargetCliOptions
{
    private readonly Option<string> _url = new("--url") { Description = "The send API's URL (loopback unless --allow-host names its host)", Required = true };
    private readonly Option<string> _method = new("--method") { Description = "The request method (default POST)", DefaultValueFactory = _ => "POST" };
    private readonly Option<string[]> _headers = new("--header") { Description = "A request header 'Name: value' (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _bodyFile = new("--body-file") { Description = "The request body template: {{n}} the request number, {{uuid}} a new UUID, {{recipient}} the recipients in turn" };
    private readonly Option<string[]> _recipients = new("--recipient") { Description = "A recipient {{recipient}} takes, at a sink domain or --allow-recipient-domain (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<int> _connections = NumberOptions.WholeNumber("--connections", "Pooled connections at most (1-10000, default 50)", 50, 1, 10_000);
    private readonly Option<bool> _honourRetryAfter = new("--honour-retry-after") { Description = "A 429 with Retry-After pauses the worker that got it (at most 60 s)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _url, _method, _headers, _bodyFile, _recipients, _connections, _honourRetryAfter })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetValue(_url) is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                result.AddError($"--url: '{url}' is not an absolute http or https URL");
            }

            foreach (var header in result.GetValue(_headers) ?? [])
            {
                if (header.IndexOf(':') <= 0)
                {
                    result.AddError($"--header: '{header}' is not 'Name: value'");
                }
            }

            if (result.GetValue(_bodyFile) is { } path && !File.Exists(path))
            {
                result.AddError($"--body-file: '{path}' does not exist");
            }
        });
    }

    public HttpTarget Target(ParseResult parsed)
    {
        string? body = null;
        if (parsed.GetValue(_bodyFile) is { } path)
        {
            if (new FileInfo(path).Length > 1024 * 1024)
            {
                throw new Deliverability.Load.LoadConfigurationException($"--body-file: '{path}' is larger than 1 MiB");
            }

            body = File.ReadAllText(path);
        }

        return new HttpTarget
        {
            Url = new Uri(parsed.GetValue(_url)!),
            Method = parsed.GetValue(_method)!.ToUpperInvariant(),
            Headers = [.. (parsed.GetValue(_headers) ?? []).Select(header => KeyValuePair.Create(header[..header.IndexOf(':')].Trim(), header[(header.IndexOf(':') + 1)..].Trim()))],
            Body = body,
            Recipients = parsed.GetValue(_recipients) ?? [],
            Connections = parsed.GetValue(_connections),
            HonourRetryAfter = parsed.GetValue(_honourRetryAfter),
        };
    }
}

/// <summary>The load of a plain run: rate, duration, warm-up, ramp-up, bounds.</summary>
internal sealed class LoadShapeCliOptions(bool rateRequired)
{
    private readonly Option<double?> _rate = LoadTestOptionValues.Rate("--rate", "Messages (requests) per second, planned from the start: late starts are measured, never skipped", required: rateRequired);
    private readonly Option<TimeSpan?> _duration = LoadTestOptionValues.Duration("--duration", "How long the rate holds: 30s, 2m, 00:01:00", required: rateRequired);
    private readonly Option<TimeSpan?> _warmUp = LoadTestOptionValues.Duration("--warm-up", "Load before measuring starts (discarded)", min: TimeSpan.Zero);
    private readonly Option<TimeSpan?> _rampUp = LoadTestOptionValues.Duration("--ramp-up", "A linear ramp from 0 to --rate before it holds", min: TimeSpan.Zero);
    private readonly Option<int> _maxMessages = NumberOptions.WholeNumber("--max-messages", "Stop after this many messages (requests), warm-up included (1-100000000)", 0, 1, 100_000_000);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _rate, _duration, _warmUp, _rampUp, _maxMessages })
        {
            command.Options.Add(option);
        }
    }

    public LoadShape Shape(ParseResult parsed) => new()
    {
        Rate = parsed.GetValue(_rate) ?? 10,
        Duration = parsed.GetValue(_duration) ?? TimeSpan.FromSeconds(10),
        WarmUp = parsed.GetValue(_warmUp) ?? TimeSpan.Zero,
        RampUp = parsed.GetValue(_rampUp) ?? TimeSpan.Zero,
    };

    public long? MaxMessages(ParseResult parsed) => parsed.GetValue(_maxMessages) is > 0 and var max ? max : null;
}

/// <summary>The capacity search of <c>monitor loadtest capacity</c>.</summary>
internal sealed class CapacityCliOptions
{
    private readonly Option<double?> _maxRate = LoadTestOptionValues.Rate("--max-rate", "The highest rate tried, per second", required: true);
    private readonly Option<double?> _startRate = LoadTestOptionValues.Rate("--start-rate", "The first rate tried, per second (default 10)");
    private readonly Option<TimeSpan?> _stepDuration = LoadTestOptionValues.Duration("--step-duration", "How long each rate runs (default 10s)", min: TimeSpan.FromSeconds(1));
    private readonly Option<double?> _tolerance = LoadTestOptionValues.Fraction("--tolerance", "Bisection stops when the gap between the last held and first broken rate is within this share (default 5%)", 0.001, 0.5);
    private readonly Option<double?> _stepFactor = LoadTestOptionValues.Fraction("--step-factor", "Each step multiplies the rate by this (default 1.5)", 1.01, 10);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _maxRate, _startRate, _stepDuration, _tolerance, _stepFactor })
        {
            command.Options.Add(option);
        }
    }

    public CapacityShape Shape(ParseResult parsed)
    {
        var defaults = new CapacityShape { MaxRate = parsed.GetValue(_maxRate) ?? 1000 };
        return defaults with
        {
            StartRate = parsed.GetValue(_startRate) ?? Math.Min(defaults.StartRate, defaults.MaxRate),
            StepDuration = parsed.GetValue(_stepDuration) ?? defaults.StepDuration,
            Tolerance = parsed.GetValue(_tolerance) ?? defaults.Tolerance,
            StepFactor = parsed.GetValue(_stepFactor) ?? defaults.StepFactor,
        };
    }
}

/// <summary>What every run command shares: thresholds, output, and the allow-lists of the safety checks.</summary>
internal sealed class RunCliOptions
{
    private readonly Option<string[]> _thresholds = new("--threshold") { Description = "Pass/fail criterion: p99<500ms, data.p99<200ms, error_rate<1%, accepted_per_s>=200 (repeatable); exit code 1 when one breaks", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _report = new("--report") { Description = "Write report.html, report.md, report.csv and report.json into this folder" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object: counts by outcome, rates, late and dropped starts, latency percentiles (ms), thresholds" };
    private readonly Option<string[]> _allowHosts = new("--allow-host") { Description = "Also allow load to this host, exactly as named (repeatable; loopback is always allowed)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> _allowDomains = new("--allow-recipient-domain") { Description = "Also allow recipients at this domain (repeatable; the sink domains are always allowed)", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command, bool thresholds = true)
    {
        foreach (var option in thresholds ? new Option[] { _thresholds, _report, _json, _allowHosts, _allowDomains } : [_report, _json, _allowHosts, _allowDomains])
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            foreach (var text in thresholds ? result.GetValue(_thresholds) ?? [] : [])
            {
                if (!Deliverability.Load.Threshold.TryParse(text, out _, out var error))
                {
                    result.AddError($"--threshold: '{text}': {error}");
                }
            }
        });
    }

    public IReadOnlyList<string> Thresholds(ParseResult parsed) => parsed.GetValue(_thresholds) ?? [];

    public string? ReportFolder(ParseResult parsed) => parsed.GetValue(_report);

    public bool Json(ParseResult parsed) => parsed.GetValue(_json);

    public LoadTestSafety Safety(ParseResult parsed) =>
        LoadTestSafety.WithAllowLists(parsed.GetValue(_allowHosts) ?? [], parsed.GetValue(_allowDomains) ?? []);
}
