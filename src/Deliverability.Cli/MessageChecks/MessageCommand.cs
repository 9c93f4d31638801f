using System.CommandLine;
using System.Text.Json;
using Deliverability.Core.Configuration;
using Deliverability.Core.Dns;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Rendering;
using Deliverability.Core.MessageChecks.SpamAssassin;
using Microsoft.Extensions.Configuration;

namespace Deliverability.Cli.MessageChecks;

/// <summary>
/// <c>monitor message check FILE.eml [--dns HOST:PORT] [--render DIR] [--json]</c>: checks a campaign message before it
/// goes out. Exit code 0 no error finding, 1 error findings, 2 bad usage or a file that is not a message.
/// </summary>
public static class MessageCommand
{
    public const int NoErrors = 0;
    public const int Errors = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("message", "Check campaign messages before they go out.");
        command.Subcommands.Add(Check(stdout, stderr));
        return command;
    }

    private static Command Check(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("FILE.eml") { Description = "The message as sent (RFC 5322, an .eml file with its headers)" };
        var render = new Option<string?>("--render") { Description = "Write the inbox preview renders (PNG: desktop, phone, dark mode, images off, text part; first screen and full length) to this folder" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON: findings (code, severity), DKIM results per signature, SPF, DMARC, spam score and rules, render files" };
        var dns = new DnsCliOptions();

        var command = new Command("check", "Check one message: DKIM signatures (verified against DNS), ARC, DMARC alignment, bulk-sender rules (one-click unsubscribe, Message-ID, Date), "
            + "content (Gmail's 102 KB clipping, images, text part, scripts, tracking pixels, misleading links, shorteners), link domains on URI block lists, "
            + "SpamAssassin's score (a private spamd, or Monitor__MessageChecks__SpamAssassin__Address), a score out of 10. "
            + "Exit code 0 no error finding, 1 error findings, 2 bad usage or not a message.");
        command.Arguments.Add(file);
        command.Options.Add(render);
        command.Options.Add(json);
        dns.AddTo(command);

        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            var path = parsed.GetValue(file)!;
            var options = ConfigurationBinding.Bind<MessageCheckOptions>(
                new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(MessageCheckOptions.SectionName), out var conversion);
            var problems = conversion.Select(p => p.ToString()).Concat(options.Problems()).ToList();
            if (problems.Count > 0)
            {
                await stderr.WriteLineAsync($"error: {problems[0]}");
                return MonitorCli.UsageError;
            }

            byte[] bytes;
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists)
                {
                    await stderr.WriteLineAsync($"error: {path}: no such file");
                    return MonitorCli.UsageError;
                }

                if (info.Length > options.MaxMessageBytes)
                {
                    await stderr.WriteLineAsync($"error: {path}: the message is {info.Length} bytes; at most {options.MaxMessageBytes} are accepted");
                    return MonitorCli.UsageError;
                }

                bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: {path}: {ex.Message}");
                return MonitorCli.UsageError;
            }

            var renderFolder = parsed.GetValue(render);
            using var resolver = new DnsStubResolver(dns.ToOptions(parsed));
            await using var spam = new SpamAssassinScanner(options.SpamAssassin);
            var renderer = renderFolder is null ? null : new ChromiumRenderer(options.Render);
            MessageCheckReport report;
            try
            {
                report = await new MessageChecker(resolver, options, spam, renderer).CheckAsync(new MessageCheckRequest(bytes, "cli"), cancellationToken);
            }
            catch (MessageInputException ex)
            {
                await stderr.WriteLineAsync($"error: {path}: {ex.Message}");
                return MonitorCli.UsageError;
            }

            if (renderFolder is not null && !await WriteRendersAsync(renderFolder, report, stderr))
            {
                return MonitorCli.UsageError;
            }

            var dto = report.ToDto(name => renderFolder is null ? name : Path.Combine(renderFolder, name + ".png"));
            if (parsed.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(dto, Json));
            }
            else
            {
                await MessageCheckText.WriteAsync(stdout, dto);
            }

            return report.Errors > 0 ? Errors : NoErrors;
        });
        return command;
    }

    private static async Task<bool> WriteRendersAsync(string folder, MessageCheckReport report, TextWriter stderr)
    {
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var image in report.Renders.Images)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, image.Name + ".png"), image.Png);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: --render {folder}: {ex.Message}");
            return false;
        }
    }
}
