using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Deliverability.Load;
using Deliverability.Testing.Mail;

namespace Deliverability.LoadScenarios.Tests;

/// <summary>
/// The SMTP scenario against a real Postfix on 127.0.0.1 that relays to smtp-sink: every message Postfix accepted
/// (the queue ids of its DATA replies) is followed to the sink, where Postfix's Received header names the same id.
/// </summary>
public sealed partial class PostfixRelayTests
{
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Every_message_a_real_Postfix_accepted_reaches_the_smtp_sink_it_relays_to()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Fail("Postfix and smtp-sink run on Linux only");
            return;
        }

        var dumps = Directory.CreateTempSubdirectory("smtp-sink-dumps-").FullName;
        try
        {
            // smtp-sink runs as the postfix user and writes one file per transaction here.
            File.SetUnixFileMode(dumps, (UnixFileMode)0b111_111_111);
            await using var sink = await SmtpSink.StartAsync("-d", Path.Combine(dumps, "%H%M%S."));
            await using var postfix = await PostfixRelay.StartAsync(sink.Port);

            var queued = new ConcurrentBag<string>();
            var target = new SmtpTarget
            {
                Host = postfix.Host,
                Port = postfix.Port,
                From = "loadtest@example.com",
                Recipients = ["a@example.com", "b@example.com"],
                Connections = 4,
                MessagesPerConnection = 10,
                CommandTimeout = TimeSpan.FromSeconds(60),
            };
            var scenario = SmtpSubmissionScenario.Create("postfix", target, queued: queued.Add)
                .WithLoadSimulations(Simulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));
            var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { MaxDuration = TimeSpan.FromMinutes(2), TestName = "postfix relay", Seed = 1 });

            var stats = report.Scenarios.Single().Stats;
            var accepted = stats.Outcomes[OutcomeClass.SmtpAccepted];
            Assert.True(accepted > 0 && accepted == stats.Count,
                $"Postfix accepted {accepted} of {stats.Count} messages. Postfix log:\n{postfix.LogTail()}");
            // Every accepted message gave its queue id, measured or not (nothing was sent but the bounded run).
            Assert.True(queued.Count >= accepted, $"{queued.Count} queue ids for {accepted} accepted messages");
            Assert.Equal(queued.Count, queued.Distinct().Count());

            var arrived = await ArrivedAsync(dumps, queued.Count);
            var missing = queued.Except(arrived).ToList();
            Assert.True(missing.Count == 0,
                $"{missing.Count} of {queued.Count} accepted messages never reached smtp-sink within {DeliveryWait.TotalMinutes} min " +
                $"(first: {string.Join(", ", missing.Take(5))}). Postfix log:\n{postfix.LogTail()}");
            // Nothing else was relayed either (no bounce, no double delivery).
            Assert.Equal(queued.Count, arrived.Count);
        }
        finally
        {
            Directory.Delete(dumps, recursive: true);
        }
    }

    /// <summary>
    /// The queue ids in the Received headers of the messages smtp-sink dumped, once it has as many as expected or the
    /// wait is over. A file still being written is read again on the next pass.
    /// </summary>
    private static async Task<HashSet<string>> ArrivedAsync(string dumps, int expected)
    {
        var deadline = DateTime.UtcNow + DeliveryWait;
        while (true)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(dumps, "*", SearchOption.AllDirectories))
            {
                foreach (Match match in PostfixReceivedId().Matches(await File.ReadAllTextAsync(file)))
                {
                    ids.Add(match.Groups["id"].Value);
                }
            }

            if (ids.Count >= expected || DateTime.UtcNow > deadline)
            {
                return ids;
            }

            await Task.Delay(250);
        }
    }

    // "by relay.loadtest.test (Postfix) with ESMTP id 4Xy0Zq1Ab2z3" in the Received header Postfix's smtpd adds.
    [GeneratedRegex(@"\(Postfix\) with E?SMTPS?A? id (?<id>[0-9A-Za-z]{1,32})", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant)]
    private static partial Regex PostfixReceivedId();
}
