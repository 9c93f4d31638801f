using System.Globalization;
using Deliverability.Core.Authentication.TagValues;
using MimeKit;
using MimeKit.Cryptography;

namespace Deliverability.Core.MessageChecks.Authentication;

/// <summary>
/// Verifies every <c>DKIM-Signature</c> of a message with MimeKit's <see cref="DkimVerifier"/> (RSA and Ed25519 per
/// RFC 8463) and keys from our DNS layer, and says why a signature did not pass: its tags, its key, an expired
/// <c>x=</c>, a body changed after signing (body hash) or a signed header changed (signature). One bad signature never
/// stops the others; nothing here throws for what the message or DNS holds.
/// </summary>
public sealed class MessageDkimVerifier(DnsDkimKeyLocator keys, TimeProvider? time = null)
{
    private static readonly string[] RequiredTags = ["v", "a", "b", "bh", "d", "h", "s"];
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public DnsDkimKeyLocator Keys => keys;

    public async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        var results = new List<DkimSignatureResult>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Take(MessageLimits.MaxSignatures))
        {
            results.Add(await VerifyOneAsync(message, header, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<DkimSignatureResult> VerifyOneAsync(MimeMessage message, Header header, CancellationToken cancellationToken)
    {
        var tags = TagValueList.Parse(header.Value, TagValueSyntax.Dkim);
        string? Tag(string name) => tags[name] is { } value ? string.Concat(value.Where(c => !char.IsWhiteSpace(c))) : null;

        var domain = Tag("d")?.ToLowerInvariant();
        var selector = Tag("s");
        var algorithm = Tag("a")?.ToLowerInvariant();
        var canonicalization = Tag("c")?.ToLowerInvariant() ?? "simple/simple";
        var signed = (Tag("h") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h.ToLowerInvariant()).ToArray();
        var bodyLength = long.TryParse(Tag("l"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : (long?)null;
        var signedAt = Seconds(Tag("t"));
        var expiresAt = Seconds(Tag("x"));

        DkimSignatureResult Result(DkimVerdict verdict, string reason) =>
            new(verdict, reason, domain, selector, algorithm, domain is null || selector is null ? null : keys.KeyBitsOf(domain, selector),
                canonicalization, signed, bodyLength, signedAt, expiresAt);

        if (!tags.IsValid)
        {
            return Result(DkimVerdict.PermError, $"the signature is malformed: {tags.Error}");
        }

        var missing = RequiredTags.Where(t => tags[t] is null).ToList();
        if (missing.Count > 0)
        {
            return Result(DkimVerdict.PermError, $"the signature lacks the required tag(s) {string.Join(", ", missing.Select(m => m + "="))}");
        }

        if (Tag("v") != "1")
        {
            return Result(DkimVerdict.PermError, $"v={Tag("v")} is not a DKIM version this verifier knows (v=1)");
        }

        if (!signed.Contains("from"))
        {
            return Result(DkimVerdict.PermError, "h= does not cover From (RFC 6376 section 5.4 requires it)");
        }

        if (algorithm == "rsa-sha1")
        {
            return Result(DkimVerdict.PermError, "rsa-sha1 signatures are not accepted any more (RFC 8301)");
        }

        if (algorithm is not ("rsa-sha256" or "ed25519-sha256"))
        {
            return Result(DkimVerdict.Neutral, $"the algorithm a={algorithm} is unknown: the signature cannot be checked");
        }

        if (expiresAt is { } expiry && expiry < _time.GetUtcNow())
        {
            return Result(DkimVerdict.PermError, $"the signature expired at {expiry:u} (x=)");
        }

        if (expiresAt is { } x && signedAt is { } t && x < t)
        {
            return Result(DkimVerdict.PermError, "x= is before t=: the signature expired when it was made");
        }

        var verifier = new ReasonedDkimVerifier(keys);
        try
        {
            if (await verifier.VerifyAsync(message, header, cancellationToken).ConfigureAwait(false))
            {
                return Result(DkimVerdict.Pass, "");
            }
        }
        catch (DkimKeyTemporaryException ex)
        {
            return Result(DkimVerdict.TempError, ex.Message);
        }
        catch (DkimKeyPermanentException ex)
        {
            return Result(DkimVerdict.PermError, ex.Message);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return Result(DkimVerdict.PermError, $"the signature cannot be checked: {ex.Message}");
        }

        var bits = domain is null || selector is null ? null : keys.KeyBitsOf(domain, selector);
        if (algorithm == "rsa-sha256" && bits is < 1024)
        {
            return Result(DkimVerdict.PermError, $"the key is {bits} bits: RSA keys under 1024 bits are not accepted (RFC 8301)");
        }

        return verifier.BodyHashMatches(message, algorithm, canonicalization, bodyLength, Tag("bh")!)
            ? Result(DkimVerdict.Fail, "the signature does not verify: a signed header changed after signing, or the key does not match the signing key")
            : Result(DkimVerdict.Fail, "the body hash does not match: the body changed after signing");
    }

    private static DateTimeOffset? Seconds(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Opens MimeKit's body hash check, to tell a changed body from a changed header.</summary>
    private sealed class ReasonedDkimVerifier(IDkimPublicKeyLocator locator) : DkimVerifier(locator)
    {
        public bool BodyHashMatches(MimeMessage message, string algorithm, string canonicalization, long? bodyLength, string bodyHash)
        {
            var signatureAlgorithm = algorithm == "ed25519-sha256" ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256;
            var bodyCanonicalization = canonicalization.Split('/') is [_, "relaxed"] ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple;
            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            try
            {
                return VerifyBodyHash(options, message, signatureAlgorithm, bodyCanonicalization, bodyLength is { } length ? (int)Math.Min(length, int.MaxValue) : -1, bodyHash);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                return false;
            }
        }
    }
}
