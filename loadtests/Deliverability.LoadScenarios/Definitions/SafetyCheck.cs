using Deliverability.Load;

namespace Deliverability.LoadScenarios.Definitions;

/// <summary>The checks of <see cref="LoadTestSafety.Check"/>: host, recipients, and addresses written in an HTTP body.</summary>
internal static class SafetyCheck
{
    public static void Run(LoadTestDefinition definition, LoadTestSafety safety)
    {
        if (definition.Smtp is { } smtp)
        {
            Require(safety.Targets.CheckHost(smtp.Host), $"host {smtp.Host}");
            foreach (var recipient in smtp.Recipients)
            {
                Require(safety.Recipients.CheckRecipient(recipient), $"recipient {recipient}");
            }
        }

        if (definition.Http is { } http)
        {
            Require(safety.Targets.CheckUri(http.Url), $"URL {http.Url}");
            foreach (var recipient in http.Recipients)
            {
                Require(safety.Recipients.CheckRecipient(recipient), $"recipient {recipient}");
            }

            // An address typed into the body (a Mailjet "To", a SendGrid "personalizations") is a recipient too.
            if (http.Body is { } body && BodyTemplate.TryCompile(body, [], out var template, out _))
            {
                foreach (var address in template.Literals.SelectMany(AddressesIn))
                {
                    Require(safety.Recipients.CheckRecipient(address), $"address {address} in the body");
                }
            }
        }
    }

    private static void Require(PolicyDecision decision, string what)
    {
        if (!decision.Allowed)
        {
            throw new LoadTestRefusedException(decision.Reason ?? $"refused {LoadText.Shorten(what)}");
        }
    }

    // Every local@domain token: the characters around an '@' up to a character no address holds.
    private static IEnumerable<string> AddressesIn(string text)
    {
        for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            var start = at;
            while (start > 0 && IsAddressChar(text[start - 1]))
            {
                start--;
            }

            var end = at + 1;
            while (end < text.Length && IsAddressChar(text[end]))
            {
                end++;
            }

            var domain = text[(at + 1)..end].TrimEnd('.');
            if (start < at && domain.Contains('.'))
            {
                yield return $"{text[start..at]}@{domain}";
            }
        }
    }

    private static bool IsAddressChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+' or '%';
}
