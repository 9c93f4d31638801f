using Deliverability.Load;

namespace Deliverability.LoadScenarios.Definitions;

/// <summary>The rules of a definition built in code, as a scenario file's are checked: every problem named by its field.</summary>
internal static class DefinitionRules
{
    public static LoadTestDefinition Validate(LoadTestDefinition definition)
    {
        var problems = new List<string>();
        if (!LoadTestDefinitions.IsValidName(definition.Name))
        {
            problems.Add($"name: '{LoadText.Shorten(definition.Name)}' must be 1-64 of a-z, 0-9, '.', '_', '-'");
        }

        if (definition.Kind == LoadTestKind.Smtp && definition.Smtp is null)
        {
            problems.Add("smtp: is required when kind is \"smtp\"");
        }
        else if (definition.Kind == LoadTestKind.Http && definition.Http is null)
        {
            problems.Add("http: is required when kind is \"http\"");
        }

        if (definition.Smtp is { } target)
        {
            Check(problems, target.Port is >= 1 and <= 65535, $"port: must be 1 to 65535 (was {target.Port})");
            Check(problems, LoadTestDefinitions.IsValidAddress(target.From), $"from: '{LoadText.Shorten(target.From)}' is not an email address");
            Check(problems, target.Recipients.Count is > 0 and <= ScenarioFileReader.MaxRecipients, "to: give 1 to 1000 recipients");
            foreach (var recipient in target.Recipients.Where(r => !LoadTestDefinitions.IsValidAddress(r)))
            {
                problems.Add($"to: '{LoadText.Shorten(recipient)}' is not an email address");
            }

            Check(problems, target.RecipientsPerMessage is >= 1 and <= 100, "recipientsPerMessage: must be 1 to 100");
            Check(problems, target.MessageSizeBytes is >= SmtpTarget.MinMessageSizeBytes and <= SmtpTarget.MaxMessageSizeBytes,
                $"size: must be from {SmtpTarget.MinMessageSizeBytes} B to 25 MiB (was {target.MessageSizeBytes} B)");
            Check(problems, target.Connections is >= 1 and <= 10_000, "connections: must be 1 to 10000");
            Check(problems, target.MessagesPerConnection is >= 1 and <= 1_000_000, "messagesPerConnection: must be 1 to 1000000");
            Check(problems, target.User is null || target.PasswordEnvironmentVariable is { } variable && LoadTestDefinitions.IsValidEnvironmentVariable(variable),
                "auth: a user needs the environment variable that holds the password");
        }

        if (definition.Http is { } http)
        {
            Check(problems, http.Url.IsAbsoluteUri && http.Url.Scheme is "http" or "https", "url: must be an absolute http or https URL");
            Check(problems, http.Connections is >= 1 and <= 10_000, "connections: must be 1 to 10000");
            foreach (var (header, value) in http.Headers)
            {
                if (HttpRequestHeaders.Problem(header, value) is { } problem)
                {
                    problems.Add($"header {LoadText.Shorten(header)}: {problem}");
                }
            }

            if (http.Body is { } body && !BodyTemplate.TryCompile(body, [], out _, out var error))
            {
                problems.Add($"body: {error}");
            }
        }

        var load = definition.Load;
        Check(problems, load.Rate is > 0 and <= LoadTestDefinitions.MaxRate, $"rate: must be more than 0 and at most {LoadTestDefinitions.MaxRate} per second");
        Check(problems, load.Duration > TimeSpan.Zero && load.Duration <= ScenarioFileReader.MaxRunDuration, "duration: must be more than 0 and at most 24h");
        Check(problems, load.RampUp >= TimeSpan.Zero && load.RampUp <= TimeSpan.FromHours(1), "rampUp: must be 0 to 1h");
        Check(problems, load.WarmUp >= TimeSpan.Zero && load.WarmUp <= TimeSpan.FromHours(1), "warmUp: must be 0 to 1h");
        if (definition.Capacity is { } capacity)
        {
            Check(problems, capacity.MaxRate is > 0 and <= LoadTestDefinitions.MaxRate, "maxRate: must be more than 0 and at most 100000 per second");
            Check(problems, capacity.StartRate > 0 && capacity.StartRate <= capacity.MaxRate, "startRate: must be more than 0 and not above maxRate");
            Check(problems, capacity.StepDuration >= TimeSpan.FromSeconds(1) && capacity.StepDuration <= TimeSpan.FromMinutes(30), "stepDuration: must be 1s to 30m");
            Check(problems, capacity.StepFactor is > 1 and <= 10, "stepFactor: must be more than 1 and at most 10");
            Check(problems, capacity.Tolerance is >= 0.001 and <= 0.5, "tolerance: must be 0.001 to 0.5");
            Check(problems, capacity.MaxSteps is >= 1 and <= 100, "maxSteps: must be 1 to 100");
        }

        foreach (var text in definition.Thresholds)
        {
            if (!Threshold.TryParse(text, out _, out var error))
            {
                problems.Add($"threshold '{LoadText.Shorten(text)}': {error}");
            }
        }

        Check(problems, definition.MaxDuration == TimeSpan.Zero || definition.MaxDuration > TimeSpan.Zero && definition.MaxDuration <= ScenarioFileReader.MaxRunDuration,
            "maxDuration: must be more than 0 and at most 24h");
        Check(problems, definition.MaxMessages is null or (>= 1 and <= 100_000_000), "maxMessages: must be 1 to 100000000");
        if (problems.Count > 0)
        {
            throw new LoadConfigurationException(string.Join("; ", problems));
        }

        return definition.MaxDuration == TimeSpan.Zero ? definition with { MaxDuration = LoadTestDefinitions.DefaultMaxDuration(definition) } : definition;
    }

    private static void Check(List<string> problems, bool ok, string problem)
    {
        if (!ok)
        {
            problems.Add(problem);
        }
    }
}
