using Deliverability.Load;

namespace Deliverability.LoadScenarios;

/// <summary>A load test as a scenario file (JSON, camelCase) describes it; immutable, validated by <see cref="LoadTestDefinitions"/>.</summary>
public sealed record LoadTestDefinition
{
    /// <summary>The test's name, <c>[a-z0-9._-]{1,64}</c>: the scenario's name in reports.</summary>
    public required string Name { get; init; }

    /// <summary>Which send path is loaded.</summary>
    public required LoadTestKind Kind { get; init; }

    /// <summary>A label of the send path it measures (the Overview's Capacity column).</summary>
    public string? SendPath { get; init; }

    /// <summary>The SMTP submission target, when <see cref="Kind"/> is <see cref="LoadTestKind.Smtp"/>.</summary>
    public SmtpTarget? Smtp { get; init; }

    /// <summary>The HTTP send API, when <see cref="Kind"/> is <see cref="LoadTestKind.Http"/>.</summary>
    public HttpTarget? Http { get; init; }

    /// <summary>The load: constant rate with ramp-up and warm-up, or a peak-day profile.</summary>
    public LoadShape Load { get; init; } = new();

    /// <summary>Present: the run is a capacity search (the load's rate is replaced by the search's rates).</summary>
    public CapacityShape? Capacity { get; init; }

    /// <summary>Pass/fail criteria in the engine's grammar (<c>p99 &lt; 500ms</c>, <c>data.p99 &lt; 200ms</c>, <c>error_rate &lt; 1%</c>).</summary>
    public IReadOnlyList<string> Thresholds { get; init; } = [];

    /// <summary>The hard bound of the run (of the whole search for a capacity search).</summary>
    public TimeSpan MaxDuration { get; init; }

    /// <summary>The hard bound on messages (invocations), warm-up included; null: bounded by time only.</summary>
    public long? MaxMessages { get; init; }
}

/// <summary>The send paths a load test drives.</summary>
public enum LoadTestKind
{
    /// <summary>SMTP submission to an MTA.</summary>
    Smtp,
    /// <summary>An HTTP send API or webhook.</summary>
    Http,
}

/// <summary>How STARTTLS is used.</summary>
public enum StartTlsMode
{
    /// <summary>Plain text, even when the server offers STARTTLS.</summary>
    Off,
    /// <summary>STARTTLS when the server offers it.</summary>
    WhenOffered,
    /// <summary>STARTTLS or fail (a TLS failure outcome).</summary>
    Required,
}

/// <summary>An SMTP submission server and the messages sent to it.</summary>
public sealed record SmtpTarget
{
    /// <summary>Largest message size accepted (a load test measures the send path, not the disk).</summary>
    public const long MaxMessageSizeBytes = 25L * 1024 * 1024;

    /// <summary>Smallest message size: the headers alone take about this much.</summary>
    public const long MinMessageSizeBytes = 256;

    /// <summary>The server's host name or IP literal.</summary>
    public required string Host { get; init; }

    /// <summary>The server's port.</summary>
    public int Port { get; init; } = 25;

    /// <summary>The envelope sender and From: address.</summary>
    public required string From { get; init; }

    /// <summary>The recipients, taken in turn; each must pass the sink policy.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>RCPT TO commands per message.</summary>
    public int RecipientsPerMessage { get; init; } = 1;

    /// <summary>The size of each message, headers included (approximately: the body is padded to it).</summary>
    public long MessageSizeBytes { get; init; } = 1024;

    /// <summary>Connections at most (one per worker: the open model's worker pool).</summary>
    public int Connections { get; init; } = 10;

    /// <summary>Messages sent on a connection before it is closed with QUIT and opened again.</summary>
    public int MessagesPerConnection { get; init; } = 100;

    /// <summary>STARTTLS use.</summary>
    public StartTlsMode StartTls { get; init; } = StartTlsMode.Off;

    /// <summary>Whether the server's certificate is checked (a test MTA often has a self-signed one).</summary>
    public bool VerifyCertificate { get; init; } = true;

    /// <summary>The AUTH user; null: no AUTH.</summary>
    public string? User { get; init; }

    /// <summary>The environment variable holding the AUTH password (never the password itself).</summary>
    public string? PasswordEnvironmentVariable { get; init; }

    /// <summary>The name sent with EHLO.</summary>
    public string HeloName { get; init; } = "loadtest.example.com";

    /// <summary>The longest wait for one reply.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>An HTTP send API and the requests sent to it.</summary>
public sealed record HttpTarget
{
    /// <summary>The longest Retry-After pause honoured.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>The request method.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>The absolute http or https URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>Request headers, in order (Content-Type included).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Headers whose values come from environment variables (header name to variable name): API keys stay out of the file.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> HeadersFromEnvironment { get; init; } = [];

    /// <summary>The body template (<c>{{n}}</c>, <c>{{uuid}}</c>, <c>{{recipient}}</c>); null: no body.</summary>
    public string? Body { get; init; }

    /// <summary>The recipients <c>{{recipient}}</c> takes in turn; each must pass the sink policy.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Pooled connections at most (SocketsHttpHandler.MaxConnectionsPerServer), also the worker pool.</summary>
    public int Connections { get; init; } = 50;

    /// <summary>Whether a 429 with Retry-After pauses the worker that got it (at most <see cref="MaxRetryAfter"/>).</summary>
    public bool HonourRetryAfter { get; init; }

    /// <summary>The longest wait for a response.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The load of a run: a constant rate after a ramp-up, or a peak-day profile.</summary>
public sealed record LoadShape
{
    /// <summary>Messages (requests) per second once ramped up.</summary>
    public double Rate { get; init; } = 10;

    /// <summary>How long the constant rate holds.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A linear ramp from 0 to the rate before it holds.</summary>
    public TimeSpan RampUp { get; init; }

    /// <summary>Load before measuring starts (its statistics are discarded).</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>Present: the load follows the profile instead of the rate.</summary>
    public PeakDayProfile? Profile { get; init; }

    /// <summary>The engine's load simulations for this shape.</summary>
    public IReadOnlyList<LoadSimulation> ToSimulations()
    {
        if (Profile is not null)
        {
            return Profile.ToSimulations();
        }

        var second = TimeSpan.FromSeconds(1);
        return RampUp > TimeSpan.Zero
            ? [Simulation.RampingInject(Rate, second, RampUp), Simulation.Inject(Rate, second, Duration)]
            : [Simulation.Inject(Rate, second, Duration)];
    }

    /// <summary>The highest rate the shape reaches, per second.</summary>
    public double PeakRate => Profile?.PeakRate ?? Rate;

    /// <summary>The length of the load simulations (warm-up not included).</summary>
    public TimeSpan SimulatedDuration => Profile?.CompressTo ?? RampUp + Duration;
}

/// <summary>A capacity search: constant rates stepped up, then bisected, until a threshold breaks.</summary>
public sealed record CapacityShape
{
    /// <summary>The thresholds used when the definition has none.</summary>
    public static readonly IReadOnlyList<string> DefaultThresholds = ["p99 < 1000ms", "error_rate < 1%"];

    /// <summary>The first rate tried, per second.</summary>
    public double StartRate { get; init; } = 10;

    /// <summary>The search never tries a rate above this.</summary>
    public required double MaxRate { get; init; }

    /// <summary>How long each rate runs.</summary>
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Each step multiplies the rate by this.</summary>
    public double StepFactor { get; init; } = 1.5;

    /// <summary>Bisection stops when (broken - held) / held is at most this.</summary>
    public double Tolerance { get; init; } = 0.05;

    /// <summary>At most this many runs.</summary>
    public int MaxSteps { get; init; } = 20;

    /// <summary>Whether a rate that breaks is run again before the search relies on it (the second run decides).</summary>
    public bool ConfirmBreaks { get; init; } = true;
}
