using System.Text.Json;
using Deliverability.Load;

namespace Deliverability.LoadScenarios.Definitions;

/// <summary>Reads a scenario file's JSON into a <see cref="LoadTestDefinition"/>, naming every problem by its field.</summary>
internal static class ScenarioFileReader
{
    public const int MaxRecipients = 1000;
    public const int MaxBodyBytes = 1024 * 1024;
    public static readonly TimeSpan MaxRunDuration = TimeSpan.FromHours(24);
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    public static LoadTestDefinition Read(string json, string? baseDirectory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new LoadConfigurationException($"the scenario file is not JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            var problems = new List<string>();
            var definition = Read(document.RootElement, baseDirectory ?? Directory.GetCurrentDirectory(), problems);
            if (problems.Count > 0 || definition is null)
            {
                throw new LoadConfigurationException(string.Join("; ", problems.DefaultIfEmpty("the scenario file is not valid")));
            }

            return definition;
        }
    }

    private static LoadTestDefinition? Read(JsonElement root, string baseDirectory, List<string> problems)
    {
        if (JsonFields.Root(root, problems) is not { } file)
        {
            return null;
        }

        file.String("description", 4096); // free text for the reader of the file
        var name = file.RequiredString("name", 64);
        if (name is not null && !LoadTestDefinitions.IsValidName(name))
        {
            file.Problem("name", $"'{LoadText.Shorten(name)}' must be 1-64 of a-z, 0-9, '.', '_', '-'");
        }

        LoadTestKind? kind = file.RequiredString("kind", 16) switch
        {
            null => null,
            "smtp" => LoadTestKind.Smtp,
            "http" => LoadTestKind.Http,
            var other => Problem<LoadTestKind>(file, "kind", $"'{LoadText.Shorten(other)}' must be \"smtp\" or \"http\""),
        };
        var sendPath = file.String("sendPath", 128);
        var smtpFields = file.Object("smtp");
        var httpFields = file.Object("http");
        var smtp = smtpFields is null ? null : ReadSmtp(smtpFields);
        var http = httpFields is null ? null : ReadHttp(httpFields, baseDirectory);
        if (kind == LoadTestKind.Smtp && (smtpFields is null || httpFields is not null))
        {
            file.Problem(smtpFields is null ? "smtp" : "http", smtpFields is null ? "is required when kind is \"smtp\"" : "is not allowed when kind is \"smtp\"");
        }

        if (kind == LoadTestKind.Http && (httpFields is null || smtpFields is not null))
        {
            file.Problem(httpFields is null ? "http" : "smtp", httpFields is null ? "is required when kind is \"http\"" : "is not allowed when kind is \"http\"");
        }

        var load = file.Object("load") is { } loadFields ? ReadLoad(loadFields, baseDirectory) : new LoadShape();
        var capacity = file.Object("capacity") is { } capacityFields ? ReadCapacity(capacityFields) : null;
        var thresholds = file.Strings("thresholds", 32, 200) ?? [];
        for (var i = 0; i < thresholds.Count; i++)
        {
            if (!Threshold.TryParse(thresholds[i], out _, out var error))
            {
                file.Problem($"thresholds[{i}]", error);
            }
        }

        var maxDuration = file.Duration("maxDuration", TimeSpan.FromSeconds(1), MaxRunDuration);
        var maxMessages = file.Whole("maxMessages", 1, 100_000_000);
        file.RefuseUnknown();
        if (problems.Count > 0 || name is null || kind is null || load is null)
        {
            return null;
        }

        var definition = new LoadTestDefinition
        {
            Name = name,
            Kind = kind.Value,
            SendPath = sendPath,
            Smtp = smtp,
            Http = http,
            Load = load,
            Capacity = capacity,
            Thresholds = thresholds,
            MaxDuration = maxDuration ?? TimeSpan.Zero,
            MaxMessages = maxMessages,
        };
        return maxDuration is null ? definition with { MaxDuration = LoadTestDefinitions.DefaultMaxDuration(definition) } : definition;
    }

    private static SmtpTarget? ReadSmtp(JsonFields smtp)
    {
        var host = smtp.RequiredString("host", 253);
        var port = smtp.Whole("port", 1, 65535);
        var from = smtp.RequiredString("from", 254);
        if (from is not null && !LoadTestDefinitions.IsValidAddress(from))
        {
            smtp.Problem("from", $"'{LoadText.Shorten(from)}' is not an email address");
        }

        var recipients = Recipients(smtp, required: true);
        var perMessage = smtp.Whole("recipientsPerMessage", 1, 100);
        long? size = null;
        if (smtp.String("messageSize", 32) is { } sizeText)
        {
            if (!LoadText.TryParseSize(sizeText, out var bytes, out var error))
            {
                smtp.Problem("messageSize", error!);
            }
            else if (bytes is < SmtpTarget.MinMessageSizeBytes or > SmtpTarget.MaxMessageSizeBytes)
            {
                smtp.Problem("messageSize", $"must be from {SmtpTarget.MinMessageSizeBytes} B to 25 MiB (was {sizeText})");
            }
            else
            {
                size = bytes;
            }
        }

        var connections = smtp.Whole("connections", 1, 10_000);
        var perConnection = smtp.Whole("messagesPerConnection", 1, 1_000_000);
        StartTlsMode? startTls = smtp.String("starttls", 16) switch
        {
            null => null,
            "off" => StartTlsMode.Off,
            "whenOffered" => StartTlsMode.WhenOffered,
            "required" => StartTlsMode.Required,
            var other => Problem<StartTlsMode>(smtp, "starttls", $"'{LoadText.Shorten(other)}' must be \"off\", \"whenOffered\" or \"required\""),
        };
        var verify = smtp.Boolean("verifyCertificate");
        string? user = null;
        string? passwordEnv = null;
        if (smtp.Object("auth") is { } auth)
        {
            if (auth.Has("password"))
            {
                auth.Problem("password", "a password never goes in a scenario file: name the environment variable that holds it with passwordEnv");
            }

            user = auth.RequiredString("user", 256);
            passwordEnv = auth.RequiredString("passwordEnv", 128);
            if (passwordEnv is not null && !LoadTestDefinitions.IsValidEnvironmentVariable(passwordEnv))
            {
                auth.Problem("passwordEnv", $"'{LoadText.Shorten(passwordEnv)}' is not an environment variable name (letters, digits, '_')");
            }

            auth.RefuseUnknown();
        }

        var helo = smtp.String("heloName", 253);
        if (helo is not null && (helo.Length == 0 || !helo.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '[' or ']' or ':')))
        {
            smtp.Problem("heloName", $"'{LoadText.Shorten(helo)}' is not a host name");
        }

        var timeout = smtp.Duration("commandTimeout", OneMillisecond, TimeSpan.FromMinutes(10));
        smtp.RefuseUnknown();
        if (host is null || from is null || recipients is null)
        {
            return null;
        }

        var defaults = new SmtpTarget { Host = host, From = from, Recipients = recipients };
        return defaults with
        {
            Port = (int?)port ?? defaults.Port,
            RecipientsPerMessage = (int?)perMessage ?? defaults.RecipientsPerMessage,
            MessageSizeBytes = size ?? defaults.MessageSizeBytes,
            Connections = (int?)connections ?? defaults.Connections,
            MessagesPerConnection = (int?)perConnection ?? defaults.MessagesPerConnection,
            StartTls = startTls ?? defaults.StartTls,
            VerifyCertificate = verify ?? defaults.VerifyCertificate,
            User = user,
            PasswordEnvironmentVariable = passwordEnv,
            HeloName = helo ?? defaults.HeloName,
            CommandTimeout = timeout ?? defaults.CommandTimeout,
        };
    }

    private static HttpTarget? ReadHttp(JsonFields http, string baseDirectory)
    {
        var method = http.String("method", 16)?.ToUpperInvariant();
        if (method is not null && (method.Length == 0 || !method.All(char.IsAsciiLetterUpper)))
        {
            http.Problem("method", $"'{LoadText.Shorten(method)}' is not an HTTP method");
        }

        Uri? url = null;
        if (http.RequiredString("url", 2048) is { } urlText)
        {
            if (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
            {
                http.Problem("url", $"'{LoadText.Shorten(urlText)}' is not an absolute http or https URL");
                url = null;
            }
        }

        var headers = http.StringMap("headers", 64, 8192) ?? [];
        foreach (var (header, value) in headers)
        {
            if (HttpRequestHeaders.Problem(header, value) is { } problem)
            {
                http.Problem($"headers.{LoadText.Shorten(header)}", problem);
            }
        }

        var fromEnvironment = http.StringMap("headersFromEnv", 16, 128) ?? [];
        foreach (var (header, variable) in fromEnvironment)
        {
            if (HttpRequestHeaders.Problem(header, "x") is { } problem)
            {
                http.Problem($"headersFromEnv.{LoadText.Shorten(header)}", problem);
            }
            else if (!LoadTestDefinitions.IsValidEnvironmentVariable(variable))
            {
                http.Problem($"headersFromEnv.{LoadText.Shorten(header)}", $"'{LoadText.Shorten(variable)}' is not an environment variable name");
            }
        }

        string? body = null;
        if (http.Raw("body") is { } bodyValue)
        {
            // A JSON body can be written as JSON; its text is the template.
            body = bodyValue.ValueKind == JsonValueKind.String ? bodyValue.GetString() : bodyValue.GetRawText();
        }

        if (http.String("bodyFile", 1024) is { } bodyFile)
        {
            if (body is not null)
            {
                http.Problem("bodyFile", "give body or bodyFile, not both");
            }
            else
            {
                body = ReadBoundedFile(http, "bodyFile", Path.Combine(baseDirectory, bodyFile), MaxBodyBytes);
            }
        }

        if (body is not null)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
            {
                http.Problem("body", "larger than 1 MiB");
            }
            else if (!BodyTemplate.TryCompile(body, [], out _, out var error))
            {
                http.Problem("body", error);
            }
        }

        var recipients = Recipients(http, required: false) ?? [];
        if (body is not null && body.Contains("{{recipient}}", StringComparison.Ordinal) && recipients.Count == 0)
        {
            http.Problem("recipients", "the body uses {{recipient}}: give at least one recipient");
        }

        var connections = http.Whole("connections", 1, 10_000);
        var honour = http.Boolean("honourRetryAfter");
        var timeout = http.Duration("timeout", OneMillisecond, TimeSpan.FromMinutes(10));
        http.RefuseUnknown();
        if (url is null)
        {
            return null;
        }

        var defaults = new HttpTarget { Url = url };
        return defaults with
        {
            Method = method ?? defaults.Method,
            Headers = headers,
            HeadersFromEnvironment = fromEnvironment,
            Body = body,
            Recipients = recipients,
            Connections = (int?)connections ?? defaults.Connections,
            HonourRetryAfter = honour ?? false,
            Timeout = timeout ?? defaults.Timeout,
        };
    }

    private static LoadShape? ReadLoad(JsonFields load, string baseDirectory)
    {
        var rate = load.Number("rate", 0, LoadTestDefinitions.MaxRate, minExclusive: true);
        var duration = load.Duration("duration", OneMillisecond, MaxRunDuration);
        var rampUp = load.Duration("rampUp", TimeSpan.Zero, TimeSpan.FromHours(1));
        var warmUp = load.Duration("warmUp", TimeSpan.Zero, TimeSpan.FromHours(1));
        PeakDayProfile? profile = null;
        if (load.Object("profile") is { } profileFields)
        {
            if (rate is not null || duration is not null || rampUp is not null)
            {
                load.Problem("profile", "replaces rate, duration and rampUp: give one or the other");
            }

            var file = profileFields.RequiredString("file", 1024);
            var peakRate = profileFields.Number("peakRate", 0, LoadTestDefinitions.MaxRate, minExclusive: true);
            if (peakRate is null && !profileFields.Has("peakRate"))
            {
                profileFields.Problem("peakRate", "is required");
            }

            var compressTo = profileFields.Duration("compressTo", PeakDayProfile.MinCompressTo, PeakDayProfile.MaxCompressTo);
            if (compressTo is null && !profileFields.Has("compressTo"))
            {
                profileFields.Problem("compressTo", "is required");
            }

            profileFields.RefuseUnknown();
            IReadOnlyList<double>? counts = null;
            if (file is not null && ReadBoundedFile(profileFields, "file", Path.Combine(baseDirectory, file), PeakDayProfile.MaxFileBytes) is { } csv)
            {
                try
                {
                    counts = PeakDayProfile.ParseCounts(csv);
                }
                catch (FormatException e)
                {
                    profileFields.Problem("file", $"{LoadText.Shorten(file)}: {e.Message}");
                }
            }

            if (counts is null || peakRate is null || compressTo is null)
            {
                load.RefuseUnknown();
                return null;
            }

            profile = new PeakDayProfile { HourlyCounts = counts, PeakRate = peakRate.Value, CompressTo = compressTo.Value };
        }

        load.RefuseUnknown();
        var defaults = new LoadShape();
        return defaults with
        {
            Rate = rate ?? defaults.Rate,
            Duration = duration ?? defaults.Duration,
            RampUp = rampUp ?? TimeSpan.Zero,
            WarmUp = warmUp ?? TimeSpan.Zero,
            Profile = profile,
        };
    }

    private static CapacityShape? ReadCapacity(JsonFields capacity)
    {
        var startRate = capacity.Number("startRate", 0, LoadTestDefinitions.MaxRate, minExclusive: true);
        var maxRate = capacity.Number("maxRate", 0, LoadTestDefinitions.MaxRate, minExclusive: true);
        if (maxRate is null && !capacity.Has("maxRate"))
        {
            capacity.Problem("maxRate", "is required");
        }

        var stepDuration = capacity.Duration("stepDuration", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));
        var stepFactor = capacity.Number("stepFactor", 1, 10, minExclusive: true);
        var tolerance = capacity.Number("tolerance", 0.001, 0.5);
        var maxSteps = capacity.Whole("maxSteps", 1, 100);
        var confirmBreaks = capacity.Boolean("confirmBreaks");
        capacity.RefuseUnknown();
        if (maxRate is null)
        {
            return null;
        }

        var defaults = new CapacityShape { MaxRate = maxRate.Value };
        if ((startRate ?? defaults.StartRate) > maxRate)
        {
            capacity.Problem("startRate", "must not be above maxRate");
            return null;
        }

        return defaults with
        {
            StartRate = startRate ?? defaults.StartRate,
            StepDuration = stepDuration ?? defaults.StepDuration,
            StepFactor = stepFactor ?? defaults.StepFactor,
            Tolerance = tolerance ?? defaults.Tolerance,
            MaxSteps = (int?)maxSteps ?? defaults.MaxSteps,
            ConfirmBreaks = confirmBreaks ?? defaults.ConfirmBreaks,
        };
    }

    private static IReadOnlyList<string>? Recipients(JsonFields fields, bool required)
    {
        var recipients = fields.Strings("recipients", MaxRecipients, 254);
        if (recipients is null)
        {
            if (required && !fields.Has("recipients"))
            {
                fields.Problem("recipients", "is required (one address at least)");
            }

            return null;
        }

        if (required && recipients.Count == 0)
        {
            fields.Problem("recipients", "needs one address at least");
        }

        for (var i = 0; i < recipients.Count; i++)
        {
            if (!LoadTestDefinitions.IsValidAddress(recipients[i]))
            {
                fields.Problem($"recipients[{i}]", $"'{LoadText.Shorten(recipients[i])}' is not an email address");
            }
        }

        return recipients;
    }

    private static string? ReadBoundedFile(JsonFields fields, string name, string path, int maxBytes)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                fields.Problem(name, $"'{LoadText.Shorten(path)}' does not exist");
                return null;
            }

            if (info.Length > maxBytes)
            {
                fields.Problem(name, $"'{LoadText.Shorten(path)}' is larger than {maxBytes / 1024} KiB");
                return null;
            }

            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            fields.Problem(name, $"'{LoadText.Shorten(path)}' cannot be read ({e.GetType().Name})");
            return null;
        }
    }

    private static T? Problem<T>(JsonFields fields, string name, string message)
        where T : struct
    {
        fields.Problem(name, message);
        return null;
    }
}
