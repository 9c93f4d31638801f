using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.TagValues;

namespace Deliverability.Core.Authentication.Dkim;

/// <summary>
/// A DKIM public key record (RFC 6376 section 3.6.1, RSA key sizes per RFC 8301, ed25519 per RFC 8463).
/// <see cref="Parse"/> never throws: every problem of the record is one of <see cref="Problems"/>, a finding with a stable code.
/// </summary>
public sealed class DkimKeyRecord
{
    /// <summary>Smallest RSA modulus verifiers accept (RFC 8301 section 3.2).</summary>
    public const int MinimumRsaBits = 1024;

    /// <summary>Smallest RSA modulus we call strong; mailbox providers recommend 2048.</summary>
    public const int RecommendedRsaBits = 2048;

    /// <summary>Largest RSA modulus verifiers must support (RFC 8301 section 3.2).</summary>
    public const int MaximumVerifiedRsaBits = 4096;

    private const int Ed25519KeyBytes = 32;

    // SubjectPublicKeyInfo prefix of an ed25519 key (OID 1.3.101.112): some publish this instead of the raw key.
    private static readonly byte[] Ed25519SpkiPrefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    private DkimKeyRecord(string text) => Text = text;

    public string Text { get; }

    /// <summary>The tags as read, in order.</summary>
    public IReadOnlyList<TagValue> Tags { get; private set; } = [];

    /// <summary><c>k=</c>, lower case: <c>rsa</c> (the default) or <c>ed25519</c>.</summary>
    public string KeyType { get; private set; } = "rsa";

    /// <summary>The <c>p=</c> value with its white space removed; empty for a revoked key, null when the tag is missing.</summary>
    public string? PublicKey { get; private set; }

    /// <summary><c>p=</c> is present and empty: the key was revoked (RFC 6376 section 3.6.1).</summary>
    public bool IsRevoked => PublicKey is { Length: 0 };

    /// <summary>RSA modulus size in bits, or 256 for ed25519; null when the key did not decode.</summary>
    public int? KeyBits { get; private set; }

    /// <summary>The key is a bare PKCS#1 RSAPublicKey instead of the SubjectPublicKeyInfo RFC 6376 asks for.</summary>
    public bool IsBareRsaKey { get; private set; }

    /// <summary><c>h=</c> hash algorithms, lower case; empty means all are allowed.</summary>
    public IReadOnlyList<string> HashAlgorithms { get; private set; } = [];

    /// <summary><c>s=</c> service types, lower case; defaults to <c>*</c>.</summary>
    public IReadOnlyList<string> ServiceTypes { get; private set; } = ["*"];

    /// <summary><c>t=</c> flags, lower case.</summary>
    public IReadOnlyList<string> Flags { get; private set; } = [];

    /// <summary><c>t=y</c>: the domain is testing DKIM; verifiers must not treat failures differently from unsigned mail.</summary>
    public bool IsTesting => Flags.Contains("y");

    public IReadOnlyList<Finding> Problems { get; private set; } = [];

    /// <summary>The record parsed and its key decoded, without errors (warnings allowed).</summary>
    public bool IsValid => !Problems.Any(p => p.Severity == Severity.Error);

    /// <summary>Verifiers can check signatures with this key: valid, not revoked, long enough.</summary>
    public bool IsUsable => IsValid && !IsRevoked && KeyBits is not null;

    public static DkimKeyRecord Parse(string text)
    {
        var record = new DkimKeyRecord(text);
        var problems = new List<Finding>();
        record.Read(problems);
        record.Problems = problems;
        return record;
    }

    private void Read(List<Finding> problems)
    {
        var list = TagValueList.Parse(Text, TagValueSyntax.Dkim);
        Tags = list.Tags;
        if (!list.IsValid)
        {
            problems.Add(Malformed($"The DKIM key record is malformed: {list.Error}."));
            return;
        }

        if (list.Tags.Count == 0)
        {
            problems.Add(Malformed("The DKIM key record is empty."));
            return;
        }

        var version = list.Find("v");
        if (version is not null && !ReferenceEquals(version, list.Tags[0]))
        {
            problems.Add(Malformed("The DKIM key record has v= but not as its first tag; verifiers ignore such a record (RFC 6376 section 3.6.1)."));
        }
        else if (version is not null && version.Value != "DKIM1")
        {
            problems.Add(Malformed($"The DKIM key record has v={version.Value}; the only version is DKIM1."));
        }

        ReadHashes(list["h"], problems);
        ReadServices(list["s"], problems);
        Flags = SplitColonList(list["t"]);
        if (IsTesting)
        {
            problems.Add(Finding.Warning(
                "dkim.testing",
                "The DKIM key is in testing mode (t=y): verifiers may treat signed mail as unsigned, so DKIM does not protect it.",
                "Remove the y flag from t= once signing works."));
        }

        var keyType = list["k"];
        if (keyType is not null)
        {
            KeyType = keyType.ToLowerInvariant();
        }

        if (KeyType is not ("rsa" or "ed25519"))
        {
            problems.Add(Finding.Error(
                "dkim.key_type_unknown",
                $"The DKIM key type k={keyType} is unknown; verifiers support rsa and ed25519 only and ignore this key.",
                "Publish k=rsa (or leave k out) for an RSA key, or k=ed25519 for an ed25519 key."));
            return;
        }

        var publicKey = list["p"];
        if (publicKey is null)
        {
            problems.Add(Malformed("The DKIM key record has no p= tag (the public key), which is required."));
            return;
        }

        PublicKey = RemoveSpace(publicKey);
        if (IsRevoked)
        {
            problems.Add(Finding.Error(
                "dkim.revoked",
                "The DKIM key is revoked (p= is empty): every signature made with this selector fails.",
                "Sign with a selector that publishes a current key, or publish the public key here again."));
            return;
        }

        ReadKey(problems);
    }

    private void ReadHashes(string? value, List<Finding> problems)
    {
        if (value is null)
        {
            return;
        }

        HashAlgorithms = SplitColonList(value);
        if (HashAlgorithms.Contains("sha1"))
        {
            problems.Add(Finding.Warning(
                "dkim.sha1",
                "The DKIM key allows rsa-sha1 signatures (h= lists sha1); RFC 8301 forbids sha1 and verifiers treat such signatures as failing.",
                "Sign with rsa-sha256 and publish h=sha256, or leave h= out."));
        }

        if (!HashAlgorithms.Contains("sha256"))
        {
            problems.Add(Finding.Error(
                "dkim.hash_unusable",
                $"The DKIM key allows only h={value}; verifiers accept sha256 signatures only (RFC 8301), so no signature with this key can pass.",
                "Publish h=sha256, or leave h= out, and sign with sha256."));
        }
    }

    private void ReadServices(string? value, List<Finding> problems)
    {
        if (value is null)
        {
            return;
        }

        ServiceTypes = SplitColonList(value);
        if (!ServiceTypes.Contains("*") && !ServiceTypes.Contains("email"))
        {
            problems.Add(Finding.Error(
                "dkim.service_not_email",
                $"The DKIM key is restricted to service types s={value}, which exclude email, so verifiers will not use it for mail.",
                "Publish s=email or s=*, or leave s= out."));
        }
    }

    private void ReadKey(List<Finding> problems)
    {
        var bytes = new byte[PublicKey!.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(PublicKey, bytes, out var length))
        {
            problems.Add(KeyInvalid("The DKIM public key (p=) is not valid base64."));
            return;
        }

        var key = bytes.AsSpan(0, length);
        if (KeyType == "ed25519")
        {
            ReadEd25519Key(key, problems);
        }
        else
        {
            ReadRsaKey(key, problems);
        }
    }

    private void ReadEd25519Key(ReadOnlySpan<byte> key, List<Finding> problems)
    {
        if (key.Length == Ed25519KeyBytes)
        {
            KeyBits = 256;
            return;
        }

        var hint = key.Length == Ed25519SpkiPrefix.Length + Ed25519KeyBytes && key.StartsWith(Ed25519SpkiPrefix)
            ? " It is wrapped in SubjectPublicKeyInfo; RFC 8463 wants the raw 32-byte key."
            : "";
        problems.Add(KeyInvalid($"The ed25519 DKIM key is {key.Length} bytes long; an ed25519 key is 32 bytes (RFC 8463).{hint}"));
    }

    private void ReadRsaKey(ReadOnlySpan<byte> key, List<Finding> problems)
    {
        if (!RsaPublicKeyReader.TryReadSubjectPublicKeyInfo(key, out var bits))
        {
            if (!RsaPublicKeyReader.TryReadRsaPublicKey(key, out bits))
            {
                problems.Add(KeyInvalid("The DKIM public key (p=) does not decode as an RSA public key (SubjectPublicKeyInfo)."));
                return;
            }

            IsBareRsaKey = true;
            problems.Add(Finding.Warning(
                "dkim.key_bare_rsa",
                "The DKIM key is a bare RSAPublicKey; RFC 6376 asks for a SubjectPublicKeyInfo and some verifiers reject the bare form.",
                "Publish the key in SubjectPublicKeyInfo form (openssl rsa -pubout, without -RSAPublicKey_out)."));
        }

        KeyBits = bits;
        if (bits < MinimumRsaBits)
        {
            problems.Add(Finding.Error(
                "dkim.key_too_short",
                $"The DKIM key is RSA {bits} bits; verifiers reject keys under {MinimumRsaBits} bits (RFC 8301), so every signature fails.",
                $"Generate a {RecommendedRsaBits}-bit RSA key, publish it under a new selector and sign with it."));
        }
        else if (bits < RecommendedRsaBits)
        {
            problems.Add(Finding.Warning(
                "dkim.key_weak",
                $"The DKIM key is RSA {bits} bits; {RecommendedRsaBits} bits is the recommended minimum and shorter keys can be factored.",
                $"Generate a {RecommendedRsaBits}-bit RSA key, publish it under a new selector and switch signing to it."));
        }
        else if (bits > MaximumVerifiedRsaBits)
        {
            problems.Add(Finding.Warning(
                "dkim.key_too_long",
                $"The DKIM key is RSA {bits} bits; verifiers need only support up to {MaximumVerifiedRsaBits} bits (RFC 8301), so some may fail it.",
                $"Use a {RecommendedRsaBits}-bit RSA key."));
        }
    }

    private static IReadOnlyList<string> SplitColonList(string? value) =>
        value is null
            ? []
            : value.Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => v.ToLowerInvariant()).ToArray();

    private static string RemoveSpace(string value)
    {
        if (value.AsSpan().IndexOfAny(" \t\r\n") < 0)
        {
            return value;
        }

        return string.Create(value.Length - value.Count(c => c is ' ' or '\t' or '\r' or '\n'), value, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (c is not (' ' or '\t' or '\r' or '\n'))
                {
                    span[i++] = c;
                }
            }
        });
    }

    private static Finding Malformed(string message) => Finding.Error(
        "dkim.malformed",
        message,
        "Publish the key record in the form \"v=DKIM1; k=rsa; p=<base64 public key>\" (RFC 6376 section 3.6.1), with each tag once.");

    private static Finding KeyInvalid(string message) => Finding.Error(
        "dkim.key_invalid",
        message,
        "Publish the base64 of the public key exactly as your signing service gives it (for RSA: openssl rsa -in key.pem -pubout -outform der | base64).");
}
