using System.Globalization;
using System.Text.RegularExpressions;

namespace Deliverability.Core.SendEvents.Sources.Postfix;

/// <summary>
/// Reads Postfix's log lines in order and turns each delivery attempt (<c>status=sent|deferred|bounced|expired</c> with
/// <c>to=</c>, <c>relay=</c>, <c>delay=</c>, <c>delays=</c>, <c>dsn=</c>) into an event, joined by queue id with the
/// message's <c>from=</c> (qmgr) and <c>message-id=</c> (cleanup). Lines of other programs are skipped. The joins are
/// bounded: a queue id is forgotten when Postfix logs it <c>removed</c>, or when too many are open.
/// </summary>
public sealed partial class PostfixLogReader(TimeZoneInfo? logTimeZone = null)
{
    private const int MaxOpenMessages = 200_000;
    private const int MaxLineLength = 8192;
    private readonly TimeZoneInfo _zone = logTimeZone ?? TimeZoneInfo.Local;
    private readonly Dictionary<string, (string? From, string? MessageId)> _messages = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>The event of <paramref name="line"/>, or null when it is no delivery attempt. <paramref name="now"/> dates a syslog time that has no year.</summary>
    public SendEventDraft? Read(string line, DateTimeOffset now)
    {
        if (line.Length > MaxLineLength)
        {
            return null;
        }

        var m = Line().Match(line);
        if (!m.Success || !m.Groups["program"].Value.Contains("postfix", StringComparison.Ordinal))
        {
            return null;
        }

        return ReadMessage(m.Groups["queue"].Value, m.Groups["rest"].Value, Time(m.Groups["time"].Value, now), line);
    }

    /// <summary>The event of one message text (<c>QUEUEID: to=&lt;...&gt;, ...</c>) logged at <paramref name="at"/> (journald gives the two apart).</summary>
    public SendEventDraft? ReadJournal(string message, DateTimeOffset at, string identity)
    {
        var m = QueueAndRest().Match(message.Length > MaxLineLength ? "" : message);
        return m.Success ? ReadMessage(m.Groups["queue"].Value, m.Groups["rest"].Value, at, identity) : null;
    }

    private SendEventDraft? ReadMessage(string queue, string rest, DateTimeOffset? at, string identity)
    {
        if (rest == "removed")
        {
            _messages.Remove(queue);
            return null;
        }

        if (From().Match(rest) is { Success: true } from && !rest.Contains("status=", StringComparison.Ordinal))
        {
            Remember(queue, m => (from.Groups["from"].Value, m.MessageId));
            return null;
        }

        if (MessageIdPattern().Match(rest) is { Success: true } id)
        {
            Remember(queue, m => (m.From, id.Groups["id"].Value));
            return null;
        }

        var status = Status().Match(rest);
        var to = To().Match(rest);
        if (!status.Success || !to.Success || at is null)
        {
            return null;
        }

        var reply = status.Groups["reply"].Success ? status.Groups["reply"].Value : null;
        var dsn = Dsn().Match(rest) is { Success: true } d ? d.Groups["dsn"].Value : null;
        var code = SmtpReply.Code(reply) ?? (Said().Match(reply ?? "") is { Success: true } said ? int.Parse(said.Groups["code"].Value, CultureInfo.InvariantCulture) : null);
        var kind = status.Groups["status"].Value switch
        {
            "sent" => SendEventKind.Delivered,
            "deferred" => SendEventKind.Deferred,
            _ => SmtpReply.Failure(permanent: true, code, dsn, reply),
        };
        long? latency = kind == SendEventKind.Delivered && Delay().Match(rest) is { Success: true } delay
            && double.TryParse(delay.Groups["delay"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? (long)Math.Round(seconds * 1000)
            : null;
        var known = _messages.GetValueOrDefault(queue);
        var relay = Relay().Match(rest) is { Success: true } r ? r.Groups["relay"].Value : null;
        return new SendEventDraft
        {
            ProviderEventId = DerivedEventId.Of("postfix", identity),
            Kind = kind,
            OccurredAt = at.Value,
            Recipient = to.Groups["to"].Value,
            Sender = known.From,
            SmtpCode = code,
            EnhancedStatus = dsn,
            Diagnostic = relay is null ? reply : $"relay={relay} {reply}".TrimEnd(),
            MessageId = known.MessageId,
            DeliveryLatencyMs = latency,
        };
    }

    private void Remember(string queue, Func<(string? From, string? MessageId), (string? From, string? MessageId)> update)
    {
        if (!_messages.TryGetValue(queue, out var known))
        {
            _order.Enqueue(queue);
            while (_order.Count > MaxOpenMessages && _order.TryDequeue(out var oldest))
            {
                _messages.Remove(oldest);
            }
        }

        _messages[queue] = update(known);
    }

    private DateTimeOffset? Time(string text, DateTimeOffset now)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var iso) && text.Contains('T', StringComparison.Ordinal))
        {
            return iso.ToUniversalTime();
        }

        // "Dec  3 05:10:00": the log's local time, this year (or last year, for a December line read in January).
        var normal = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var localNow = TimeZoneInfo.ConvertTime(now, _zone);
        foreach (var year in new[] { localNow.Year, localNow.Year - 1 })
        {
            if (DateTime.TryParseExact($"{year} {normal}", "yyyy MMM d HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                var offset = _zone.GetUtcOffset(local);
                var at = new DateTimeOffset(local, offset).ToUniversalTime();
                if (at <= now.AddDays(1))
                {
                    return at;
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<time>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) \S{1,255} (?<program>[\w./-]{1,100})(?:\[\d{1,10}\])?: (?<queue>[0-9A-Za-z]{5,32}): (?<rest>.*)$", RegexOptions.NonBacktracking)]
    private static partial Regex Line();

    [GeneratedRegex(@"^(?<queue>[0-9A-Za-z]{5,32}): (?<rest>.*)$", RegexOptions.NonBacktracking)]
    private static partial Regex QueueAndRest();

    [GeneratedRegex(@"^from=<(?<from>[^>]{0,320})>", RegexOptions.NonBacktracking)]
    private static partial Regex From();

    [GeneratedRegex(@"^message-id=<?(?<id>[^<>\s]{1,998})>?$", RegexOptions.NonBacktracking)]
    private static partial Regex MessageIdPattern();

    [GeneratedRegex(@"^to=<(?<to>[^>]{0,320})>", RegexOptions.NonBacktracking)]
    private static partial Regex To();

    [GeneratedRegex(@", relay=(?<relay>[^,\s]{1,300})", RegexOptions.NonBacktracking)]
    private static partial Regex Relay();

    [GeneratedRegex(@", delay=(?<delay>\d{1,9}(?:\.\d{1,6})?)", RegexOptions.NonBacktracking)]
    private static partial Regex Delay();

    [GeneratedRegex(@", dsn=(?<dsn>[245]\.\d{1,3}\.\d{1,3})", RegexOptions.NonBacktracking)]
    private static partial Regex Dsn();

    [GeneratedRegex(@", status=(?<status>sent|deferred|bounced|expired)(?: \((?<reply>.*)\))?$", RegexOptions.NonBacktracking)]
    private static partial Regex Status();

    [GeneratedRegex(@"said: (?<code>[245]\d\d)[ -]", RegexOptions.NonBacktracking)]
    private static partial Regex Said();
}
