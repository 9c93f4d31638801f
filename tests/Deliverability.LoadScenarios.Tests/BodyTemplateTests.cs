using System.Buffers;
using System.Text;

namespace Deliverability.LoadScenarios.Tests;

public sealed class BodyTemplateTests
{
    private static string Render(BodyTemplate template, long n)
    {
        var buffer = new ArrayBufferWriter<byte>();
        template.Render(n, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Fields_are_replaced_and_literals_kept_byte_for_byte()
    {
        Assert.True(BodyTemplate.TryCompile("{\"to\":\"{{recipient}}\",\"n\":{{ n }},\"é\":\"{{uuid}}\"}", ["a@example.com", "b@example.com"], out var template, out _));

        var first = Render(template, 0);
        var second = Render(template, 41);
        Assert.StartsWith("{\"to\":\"a@example.com\",\"n\":0,\"é\":\"", first);
        Assert.StartsWith("{\"to\":\"b@example.com\",\"n\":41,\"é\":\"", second);
        Assert.True(Guid.TryParse(first[^38..^2], out _));
        Assert.NotEqual(first[^38..^2], Render(template, 0)[^38..^2]);
    }

    [Theory]
    [InlineData("{{name}}", "unknown field '{{name}}'")]
    [InlineData("abc {{n", "never closed")]
    public void Unknown_or_unclosed_fields_are_refused(string text, string expected)
    {
        Assert.False(BodyTemplate.TryCompile(text, [], out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_template_without_fields_is_its_text()
    {
        Assert.True(BodyTemplate.TryCompile("plain {text}", [], out var template, out _));
        Assert.Equal("plain {text}", Render(template, 7));
    }
}
