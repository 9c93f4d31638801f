using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Deliverability.Core.MessageChecks.SpamAssassin;

/// <summary>A spamd that did not answer, or answered something that is not the spamd protocol.</summary>
public sealed class SpamdException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Talks the spamd protocol (<c>REPORT SPAMC/1.5</c>) to a running spamd: sends the message, reads the score, the
/// threshold and the rule table of its report. Bounded: the answer is read up to <see cref="MaxAnswerBytes"/>, within
/// the timeout.
/// </summary>
public sealed partial class SpamdClient(IPEndPoint endpoint, TimeSpan timeout)
{
    public const int MaxAnswerBytes = 1024 * 1024;

    public IPEndPoint Endpoint => endpoint;

    /// <exception cref="SpamdException">spamd cannot be reached, timed out, or answered an error.</exception>
    public async Task<SpamAssassinResult> CheckAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient(endpoint.AddressFamily);
            await client.ConnectAsync(endpoint, timer.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            var head = Encoding.ASCII.GetBytes($"REPORT SPAMC/1.5\r\nContent-length: {message.Length}\r\n\r\n");
            await stream.WriteAsync(head, timer.Token).ConfigureAwait(false);
            await stream.WriteAsync(message, timer.Token).ConfigureAwait(false);
            client.Client.Shutdown(SocketShutdown.Send);

            var answer = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, timer.Token).ConfigureAwait(false)) > 0)
            {
                if (answer.Length + read > MaxAnswerBytes)
                {
                    throw new SpamdException($"spamd at {endpoint} answered more than {MaxAnswerBytes} bytes");
                }

                answer.Write(buffer, 0, read);
            }

            return Parse(Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SpamdException($"spamd at {endpoint} did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (SocketException ex)
        {
            throw new SpamdException($"spamd at {endpoint} cannot be reached: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new SpamdException($"the connection to spamd at {endpoint} failed: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a spamd answer: status line, headers (<c>Spam: True ; 6.1 / 5.0</c>), then the report.</summary>
    /// <exception cref="SpamdException">The answer is an error or not spamd's protocol.</exception>
    public static SpamAssassinResult Parse(string answer)
    {
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? answer : answer[..split];
        var body = split < 0 ? "" : answer[(split + 4)..];
        var lines = head.Split("\r\n");
        var status = StatusLine().Match(lines[0]);
        if (!status.Success)
        {
            throw new SpamdException($"spamd answered something that is not the spamd protocol: \"{Shorten(lines[0])}\"");
        }

        if (status.Groups["code"].Value != "0")
        {
            throw new SpamdException($"spamd refused the message: {Shorten(lines[0])}");
        }

        var spam = lines.Skip(1).Select(l => SpamHeader().Match(l)).FirstOrDefault(m => m.Success)
            ?? throw new SpamdException("spamd's answer has no Spam: header");
        var score = double.Parse(spam.Groups["score"].Value, CultureInfo.InvariantCulture);
        var threshold = double.Parse(spam.Groups["threshold"].Value, CultureInfo.InvariantCulture);
        var isSpam = spam.Groups["flag"].Value.Equals("True", StringComparison.OrdinalIgnoreCase) || spam.Groups["flag"].Value.Equals("Yes", StringComparison.OrdinalIgnoreCase);
        return new SpamAssassinResult(score, threshold, isSpam, ReadRules(body));
    }

    /// <summary>The rule table of the report: after the dashed line, "points NAME description", descriptions may wrap.</summary>
    private static List<SpamRuleHit> ReadRules(string report)
    {
        var rules = new List<SpamRuleHit>();
        var inTable = false;
        foreach (var raw in report.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (!inTable)
            {
                inTable = raw.StartsWith("----", StringComparison.Ordinal);
                continue;
            }

            var rule = RuleLine().Match(raw);
            if (rule.Success)
            {
                rules.Add(new SpamRuleHit(rule.Groups["name"].Value, double.Parse(rule.Groups["points"].Value, CultureInfo.InvariantCulture), rule.Groups["description"].Value.Trim()));
            }
            else if (rules.Count > 0 && raw.StartsWith("     ", StringComparison.Ordinal) && raw.Trim().Length > 0)
            {
                // A description continued on the next line, or the rule's details ([URIs: ...]).
                var last = rules[^1];
                rules[^1] = last with { Description = $"{last.Description} {raw.Trim()}" };
            }
            else if (raw.Trim().Length == 0 && rules.Count > 0)
            {
                break;
            }
        }

        return rules;
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    [GeneratedRegex(@"^SPAMD/\d+\.\d+\s+(?<code>\d+)\s", RegexOptions.NonBacktracking)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^Spam:\s*(?<flag>\w+)\s*;\s*(?<score>-?\d+(\.\d+)?)\s*/\s*(?<threshold>-?\d+(\.\d+)?)", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex SpamHeader();

    [GeneratedRegex(@"^\s*(?<points>-?\d{1,4}(\.\d{1,4})?)\s+(?<name>[A-Z0-9_]{1,100})\s+(?<description>.*)$", RegexOptions.NonBacktracking)]
    private static partial Regex RuleLine();
}
