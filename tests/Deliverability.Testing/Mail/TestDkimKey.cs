using System.Text;
using Deliverability.Testing.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Deliverability.Testing.Mail;

/// <summary>
/// A DKIM key pair made by the test (RSA of a given size, or Ed25519 per RFC 8463), the TXT record that publishes its
/// public half at <c>selector._domainkey.domain</c>, and a signer with it.
/// </summary>
public sealed class TestDkimKey
{
    private readonly AsymmetricKeyParameter _private;

    private TestDkimKey(string domain, string selector, DkimSignatureAlgorithm algorithm, AsymmetricKeyParameter privateKey, string record)
    {
        Domain = domain;
        Selector = selector;
        Algorithm = algorithm;
        _private = privateKey;
        Record = record;
    }

    public string Domain { get; }

    public string Selector { get; }

    public DkimSignatureAlgorithm Algorithm { get; }

    /// <summary>The key record's text (<c>v=DKIM1; k=...; p=...</c>).</summary>
    public string Record { get; }

    public string RecordName => $"{Selector}._domainkey.{Domain}";

    public static TestDkimKey Rsa(string domain, string selector, int bits)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), bits));
        var pair = generator.GenerateKeyPair();
        var publicKey = Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded());
        return new TestDkimKey(domain, selector, DkimSignatureAlgorithm.RsaSha256, pair.Private, $"v=DKIM1; k=rsa; p={publicKey}");
    }

    public static TestDkimKey Ed25519(string domain, string selector)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var publicKey = Convert.ToBase64String(((Ed25519PublicKeyParameters)pair.Public).GetEncoded());
        return new TestDkimKey(domain, selector, DkimSignatureAlgorithm.Ed25519Sha256, pair.Private, $"v=DKIM1; k=ed25519; p={publicKey}");
    }

    /// <summary>Publishes the key in <paramref name="zone"/> (split into 255-character strings as DNS requires).</summary>
    public TestZone PublishIn(TestZone zone) => zone.Txt(RecordName, [.. Chunks(Record, 255)]);

    /// <summary>Signs <paramref name="message"/> (a DKIM-Signature header is added on top).</summary>
    public void Sign(MimeMessage message, IEnumerable<string> headers, bool relaxed = true, TimeSpan? expiresAfter = null)
    {
        var signer = new DkimSigner(_private, Domain, Selector, Algorithm)
        {
            HeaderCanonicalizationAlgorithm = relaxed ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple,
            BodyCanonicalizationAlgorithm = relaxed ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple,
            SignaturesExpireAfter = expiresAfter,
        };
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(message, [.. headers]);
    }

    /// <summary>The message's bytes as sent (CRLF line ends).</summary>
    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    /// <summary><paramref name="bytes"/> with the first <paramref name="find"/> replaced (a change in transit).</summary>
    public static byte[] Replace(byte[] bytes, string find, string replacement)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException($"'{find}' is not in the message", nameof(find));
        }

        return Encoding.UTF8.GetBytes(text[..at] + replacement + text[(at + find.Length)..]);
    }

    /// <summary><paramref name="bytes"/> with <paramref name="header"/> (one line, no CRLF) put on top: added after signing.</summary>
    public static byte[] Prepend(byte[] bytes, string header) => [.. Encoding.UTF8.GetBytes(header + "\r\n"), .. bytes];

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
