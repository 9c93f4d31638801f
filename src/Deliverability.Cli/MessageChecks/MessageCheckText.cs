using System.Globalization;
using Deliverability.Contracts.MessageChecks;
using Deliverability.Core.MessageChecks;

namespace Deliverability.Cli.MessageChecks;

/// <summary>The report of <c>monitor message check</c> for a terminal: score, authentication, findings by group, spam rules, renders.</summary>
public static class MessageCheckText
{
    public static async Task WriteAsync(TextWriter output, MessageCheckDto report)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(c, $"{report.Subject} — from {report.From}"));
        await output.WriteLineAsync(string.Create(c, $"score {report.Score:0.0}/10 · {report.Errors} error(s), {report.Warnings} warning(s) · {report.SizeBytes} bytes"));
        if (report.Preheader.Length > 0)
        {
            await output.WriteLineAsync($"preheader: {report.Preheader}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("authentication");
        foreach (var dkim in report.Dkim)
        {
            var bits = dkim.KeyBits is { } b ? $", {b}-bit key" : "";
            await output.WriteLineAsync($"  dkim {dkim.Result} d={dkim.Domain} s={dkim.Selector} {dkim.Algorithm}{bits}{(dkim.Reason.Length > 0 ? ": " + dkim.Reason : "")}");
        }

        if (report.Dkim.Count == 0)
        {
            await output.WriteLineAsync("  dkim none (unsigned)");
        }

        if (report.Arc is { } arc)
        {
            await output.WriteLineAsync($"  arc {arc.Chain} ({arc.Instances} set(s))");
        }

        await output.WriteLineAsync($"  spf {report.Spf.Result}{(report.Spf.Domain is null ? "" : " " + report.Spf.Domain)}: {report.Spf.Reason}");
        await output.WriteLineAsync($"  dmarc {report.Dmarc.Result} {report.Dmarc.FromDomain}{(report.Dmarc.Policy is null ? "" : $" p={report.Dmarc.Policy}")}: {report.Dmarc.Reason}");

        foreach (var group in MessageCheckGroups.All)
        {
            var findings = report.Findings.Where(f => f.Group == group).ToList();
            if (findings.Count == 0)
            {
                continue;
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync(group);
            foreach (var finding in findings)
            {
                await output.WriteLineAsync($"  {finding.Severity,-7} {finding.Code}: {finding.Message}");
                if (finding.Fix.Length > 0)
                {
                    await output.WriteLineAsync($"          fix: {finding.Fix}");
                }
            }
        }

        await output.WriteLineAsync();
        if (report.Spam is { } spam)
        {
            await output.WriteLineAsync(string.Create(c, $"spamassassin {spam.Score:0.0} / {spam.Threshold:0.0}{(spam.IsSpam ? " (spam)" : "")}"));
            foreach (var rule in spam.Rules)
            {
                await output.WriteLineAsync(string.Create(c, $"  {rule.Points,5:0.0} {rule.Name,-24} {rule.Description}"));
            }
        }
        else
        {
            await output.WriteLineAsync($"spamassassin: {report.SpamProblem}");
        }

        if (report.Renders.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("renders");
            foreach (var render in report.Renders)
            {
                await output.WriteLineAsync($"  {render.File} ({render.Width}x{render.Height}) {render.Description}");
            }
        }
        else if (report.RenderProblem is not null && !report.RenderProblem.Contains("turned off", StringComparison.Ordinal))
        {
            await output.WriteLineAsync($"renders: {report.RenderProblem}");
        }
    }
}
