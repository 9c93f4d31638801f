using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Dns;

public sealed class DomainNameTests
{
    [Theory]
    [InlineData("bücher.example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("  Bücher.EXAMPLE.  ", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("BÜCHER.example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("XN--BCHER-KVA.Example.", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("mail.mañana.com", "mail.xn--maana-pta.com", "mail.mañana.com")]
    [InlineData("faß.de", "xn--fa-hia.de", "faß.de")]
    [InlineData("пример.рф", "xn--e1afmkfd.xn--p1ai", "пример.рф")]
    [InlineData("Example.COM.", "example.com", "example.com")]
    [InlineData("ab--cd.example", "ab--cd.example", "ab--cd.example")]
    [InlineData("bounce_1.example.com", "bounce_1.example.com", "bounce_1.example.com")] // accepted before, so kept
    public void A_name_is_normalised_once_to_its_lower_case_a_label_form(string text, string ascii, string unicode)
    {
        Assert.True(DomainName.TryParse(text, out var name, out var problem), problem);

        Assert.Equal((ascii, unicode, ascii), (name.Ascii, name.Unicode, name.ToString()));
    }

    [Fact]
    public void The_u_label_and_the_a_label_are_one_name()
    {
        var typed = DomainName.Parse("Bücher.Example.");
        var stored = DomainName.Parse("xn--bcher-kva.example");

        Assert.Equal(stored, typed);
        Assert.True(typed == stored);
        Assert.Equal(stored.GetHashCode(), typed.GetHashCode());
        Assert.Single(new HashSet<DomainName> { typed, stored });
    }

    [Theory]
    [InlineData("not a domain", "'not a domain' is not a valid domain name. The label 'not a domain' holds a space")]
    [InlineData("", "'' is not a valid domain name. It is empty.")]
    [InlineData("   ", "'' is not a valid domain name. It is empty.")]
    [InlineData(".", "'.' is not a valid domain name. It is empty.")]
    [InlineData("localhost", "'localhost' is not a valid domain name. It has a single label")]
    [InlineData("bücher", "'bücher' is not a valid domain name. It has a single label")]
    [InlineData("example..com", "'example..com' is not a valid domain name. It has an empty label")]
    [InlineData(".example.com", "'.example.com' is not a valid domain name. It has an empty label")]
    [InlineData("example.com..", "'example.com..' is not a valid domain name. It has an empty label")]
    [InlineData("-shop.example", "The label '-shop' starts or ends with '-'.")]
    [InlineData("shop-.example", "The label 'shop-' starts or ends with '-'.")]
    [InlineData("@example.test", "'@example.test' is not a valid domain name. The label '@example' holds '@'")]
    [InlineData("192.0.2.1", "Its last label is all digits")]
    [InlineData("xn--zz.example", "The label 'xn--zz' is not a valid IDN A-label.")]
    [InlineData("xn--.example", "The label 'xn--' starts or ends with '-'.")]
    [InlineData("bü cher.example", "The label 'bü cher' holds a space")]
    [InlineData("bücher_1.example", "The label 'bücher_1' holds '_'")]
    [InlineData("i❤.example", "The label 'i❤' holds '❤'")]
    [InlineData("exa\u200dmple.com", "The label 'exa\u200dmple' holds U+200D")]
    [InlineData("tab\t.example", "'tab\\u0009.example' is not a valid domain name")]
    public void A_name_that_is_not_one_is_refused_saying_why(string text, string expected)
    {
        Assert.False(DomainName.TryParse(text, out var name, out var problem));

        Assert.Null(name);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Equal(problem, Assert.Throws<FormatException>(() => DomainName.Parse(text)).Message);
        Assert.False(DomainName.IsValid(text));
    }

    [Fact]
    public void Labels_and_names_are_bounded_in_their_ascii_form()
    {
        var label63 = new string('a', 63);
        Assert.True(DomainName.IsValid($"{label63}.example"));
        Assert.Contains("is 64 characters long (at most 63)", Problem($"{label63}a.example"), StringComparison.Ordinal);

        var name253 = string.Join('.', Enumerable.Repeat(new string('a', 49), 5)) + ".abc"; // 5 x 50 + 3
        Assert.Equal(253, DomainName.Parse(name253).Ascii.Length);
        Assert.Contains("is 254 characters long (at most 253)", Problem("a" + name253), StringComparison.Ordinal);

        // 58 letters are within 63 characters, but not once encoded (xn--tda followed by 57 a's: 64).
        Assert.Equal(63, DomainName.Parse(new string('ü', 57) + ".example").Ascii.IndexOf('.'));
        Assert.Contains("over 63 characters long in its ASCII form", Problem(new string('ü', 58) + ".example"), StringComparison.Ordinal);
    }

    [Fact]
    public void Input_over_1024_characters_is_refused_before_any_work_and_is_not_echoed_whole()
    {
        var text = string.Concat(Enumerable.Repeat("a.", 600)) + "example";

        var problem = Problem(text);

        Assert.Contains("It is 1,207 characters long (at most 253).", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 250, problem);
    }

    [Fact]
    public void Sorts_and_compares_by_the_a_label()
    {
        string[] texts = ["b.example", "bücher.example", "a.example", "A.EXAMPLE."];

        var sorted = texts.Select(DomainName.Parse).Distinct().Order().Select(n => n.Ascii);

        Assert.Equal(["a.example", "b.example", "xn--bcher-kva.example"], sorted);
    }

    private static string Problem(string text)
    {
        Assert.False(DomainName.TryParse(text, out _, out var problem));
        return problem;
    }
}
