using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Ingest;

namespace Deliverability.Server.SendEvents.Hooks;

/// <summary>Every problem of <c>Monitor:SendEvents</c>, each naming its key (never quoting a secret).</summary>
public sealed partial class SendEventsOptionsValidator : IValidateOptions<SendEventsOptions>
{
    private const string Section = SendEventsOptions.SectionName;
    public static readonly string[] Providers = ["mailjet", "sendgrid", "mailgun", "ses", "postmark", "generic"];
    private const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, SendEventsOptions options)
    {
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Sources.Count; i++)
        {
            ValidateSource($"{Section}:Sources:{i}", options.Sources[i], names, problems);
        }

        for (var i = 0; i < options.PostfixLogs.Count; i++)
        {
            var log = options.PostfixLogs[i];
            var key = $"{Section}:PostfixLogs:{i}";
            CheckName($"{key}:Name", log.Name, names, problems);
            if (string.IsNullOrWhiteSpace(log.Path) == !log.Journal)
            {
                problems.Add($"{key}: either Path (a mail log file) or Journal = true is expected");
            }

            if (log.PollInterval < TimeSpan.FromMilliseconds(50) || log.PollInterval > TimeSpan.FromMinutes(5))
            {
                problems.Add($"{key}:PollInterval: from 00:00:00.05 to 00:05:00 (was {log.PollInterval})");
            }
        }

        var streams = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Streams.Count; i++)
        {
            var stream = options.Streams[i];
            if (!StreamName().IsMatch(stream.Name ?? "") || !streams.Add(stream.Name!))
            {
                problems.Add($"{Section}:Streams:{i}:Name: 1 to 64 characters of a-z, 0-9, '.', '_' and '-', each stream once");
            }

            for (var m = 0; m < stream.Match.Count; m++)
            {
                if (!StreamMap.TryParse(stream.Match[m] ?? "", out _, out _))
                {
                    problems.Add($"{Section}:Streams:{i}:Match:{m}: kind:value with a kind of {string.Join(", ", StreamMap.Kinds)} (e.g. tag:receipt)");
                }
            }
        }

        var ingesting = options.Sources.Count > 0 || options.PostfixLogs.Count > 0;
        if (ingesting && !options.KeepRecipientAddresses && (options.RecipientHashKey?.Length ?? 0) < MinSecretLength)
        {
            problems.Add($"{Section}:RecipientHashKey: a secret of at least {MinSecretLength} characters is required to hash recipient addresses (or set KeepRecipientAddresses)");
        }

        if (options.RetentionDays is < 1 or > 3650)
        {
            problems.Add($"{Section}:RetentionDays: 1 to 3650 days (was {options.RetentionDays})");
        }

        if (options.MaxRequestBytes < 1024 || options.MaxRequestBytes > SendEventsOptions.MaxRequestBytesLimit)
        {
            problems.Add($"{Section}:MaxRequestBytes: from 1024 to {SendEventsOptions.MaxRequestBytesLimit} (was {options.MaxRequestBytes})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateSource(string key, SendEventSourceOptions source, HashSet<string> names, List<string> problems)
    {
        CheckName($"{key}:Name", source.Name, names, problems);
        var provider = source.Provider?.Trim().ToLowerInvariant();
        if (!Providers.Contains(provider))
        {
            problems.Add($"{key}:Provider: one of {string.Join(", ", Providers)} (was '{Shown(source.Provider)}')");
            return;
        }

        if (source.ReplayWindow < TimeSpan.FromSeconds(30) || source.ReplayWindow > TimeSpan.FromDays(1))
        {
            problems.Add($"{key}:ReplayWindow: from 00:00:30 to 1.00:00:00 (was {source.ReplayWindow})");
        }

        switch (provider)
        {
            case "sendgrid" when !IsP256PublicKey(source.PublicKey):
                problems.Add($"{key}:PublicKey: SendGrid's verification key (base64 of an ECDSA P-256 public key) is required");
                break;
            case "mailgun" when string.IsNullOrWhiteSpace(source.SigningKey):
                problems.Add($"{key}:SigningKey: Mailgun's HTTP webhook signing key is required");
                break;
            case "mailjet" when string.IsNullOrEmpty(source.Username) || string.IsNullOrEmpty(source.Password):
                problems.Add($"{key}: Username and Password (the basic auth of Mailjet's callback URL) are required");
                break;
            case "ses" when source.TopicArns.Count == 0 || source.TopicArns.Any(t => t is null || !t.StartsWith("arn:aws", StringComparison.Ordinal) || !t.Contains(":sns:", StringComparison.Ordinal)):
                problems.Add($"{key}:TopicArns: the SNS topic ARNs to accept (arn:aws:sns:region:account:topic) are required");
                break;
            case "postmark":
                var basic = !string.IsNullOrEmpty(source.Username) || !string.IsNullOrEmpty(source.Password);
                var header = !string.IsNullOrEmpty(source.HeaderName) || !string.IsNullOrEmpty(source.HeaderValue);
                if (!basic && !header)
                {
                    problems.Add($"{key}: Username and Password, or HeaderName and HeaderValue, are required");
                }

                if (basic && (string.IsNullOrEmpty(source.Username) || string.IsNullOrEmpty(source.Password)))
                {
                    problems.Add($"{key}: Username and Password go together");
                }

                if (header && (string.IsNullOrEmpty(source.HeaderName) || (source.HeaderValue?.Length ?? 0) < MinSecretLength))
                {
                    problems.Add($"{key}: HeaderName and a HeaderValue of at least {MinSecretLength} characters go together");
                }

                break;
            case "generic" when (source.Token?.Length ?? 0) < MinSecretLength:
                problems.Add($"{key}:Token: a bearer token of at least {MinSecretLength} characters is required");
                break;
        }
    }

    private static void CheckName(string key, string? name, HashSet<string> names, List<string> problems)
    {
        if (!SourceName().IsMatch(name ?? ""))
        {
            problems.Add($"{key}: 1 to 100 characters of a-z, A-Z, 0-9, '.', '_' and '-' (it is the URL /hooks/{{name}})");
        }
        else if (!names.Add(name!))
        {
            problems.Add($"{key}: '{name}' names another source or log too");
        }
    }

    private static bool IsP256PublicKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(key.Trim()), out _);
            return ecdsa.KeySize == 256;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    private static string Shown(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "...";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex SourceName();

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex StreamName();
}
