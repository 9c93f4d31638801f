using System.Text;

namespace Deliverability.Core.Tests.Documentation;

/// <summary>
/// Every relative link of the README and of <c>docs/</c> (<c>[text](path)</c>, <c>![image](path)</c>, with or without
/// <c>#anchor</c>) leads to a file of the repository and, for a Markdown file, to one of its headings, as GitHub names
/// them. Links inside fenced code blocks are not links; absolute URLs are not followed (no test reaches the internet).
/// </summary>
public sealed class DocumentationLinksTests
{
    private static readonly string Root = RepositoryRoot();

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Relative_links_lead_to_a_file_and_heading_that_exist(string page)
    {
        var path = Path.Combine(Root, page);
        var broken = new List<string>();
        foreach (var (line, target) in Links(File.ReadAllLines(path)))
        {
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? "" : target[(hash + 1)..];
            var linked = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!File.Exists(linked) && !Directory.Exists(linked))
            {
                broken.Add($"{page}:{line}: {target} (no such file)");
            }
            else if (anchor.Length > 0 && linked.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllLines(linked)).Contains(anchor))
            {
                broken.Add($"{page}:{line}: {target} (no such heading)");
            }
        }

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void Links_and_anchors_are_read_as_github_reads_them()
    {
        string[] markdown =
        [
            "# Title",
            "See [a](docs/a.md#live-push-hubsalerts) and ![b](screenshots/b.png).",
            "```sh",
            "echo \"[not](a-link)\"",
            "```",
            "## Live push: `/hubs/alerts`",
            "## Record syntax: one tag=value parser",
            "## Title",
            "[web](https://example.com) [mail](mailto:a@example.com)",
        ];

        Assert.Equal([(2, "docs/a.md#live-push-hubsalerts"), (2, "screenshots/b.png")], Links(markdown));
        Assert.Equal(["title", "live-push-hubsalerts", "record-syntax-one-tagvalue-parser", "title-1"], Anchors(markdown));
    }

    /// <summary>The relative link targets of <paramref name="lines"/> with their 1-based line numbers.</summary>
    private static List<(int Line, string Target)> Links(string[] lines)
    {
        var links = new List<(int, string)>();
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            for (var start = fenced ? -1 : lines[i].IndexOf("](", StringComparison.Ordinal); start >= 0; start = lines[i].IndexOf("](", start + 2, StringComparison.Ordinal))
            {
                var end = lines[i].IndexOf(')', start + 2);
                var target = end < 0 ? "" : lines[i][(start + 2)..end];
                if (target.Length > 0 && !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    links.Add((i + 1, target));
                }
            }
        }

        return links;
    }

    /// <summary>The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as '-', repeats numbered.</summary>
    private static List<string> Anchors(string[] lines)
    {
        var anchors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced || !line.StartsWith('#'))
            {
                continue;
            }

            var slug = new StringBuilder();
            foreach (var c in line.TrimStart('#').Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            var count = seen.GetValueOrDefault(anchor);
            seen[anchor] = count + 1;
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
        }

        return anchors;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Monitor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Monitor.sln not found above the test output folder.");
    }
}
