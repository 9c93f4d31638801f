using System.Numerics;
using System.Security.Cryptography;

namespace Deliverability.Core.Tests.Authentication.Dkim;

/// <summary>Real public keys for DKIM tests, generated once per test run (RSA generation is slow).</summary>
internal static class DkimTestKeys
{
    private static readonly Lazy<RSA> Rsa512 = new(() => RSA.Create(512));
    private static readonly Lazy<RSA> Rsa1024 = new(() => RSA.Create(1024));
    private static readonly Lazy<RSA> Rsa2048 = new(() => RSA.Create(2048));

    /// <summary>Base64 SubjectPublicKeyInfo of a freshly generated RSA key of <paramref name="bits"/> (512, 1024 or 2048).</summary>
    public static string RsaSpki(int bits) => Convert.ToBase64String(Rsa(bits).ExportSubjectPublicKeyInfo());

    /// <summary>Base64 of the bare PKCS#1 RSAPublicKey, as some publishers wrongly publish it.</summary>
    public static string RsaBare(int bits) => Convert.ToBase64String(Rsa(bits).ExportRSAPublicKey());

    /// <summary>
    /// A public key with a modulus of <paramref name="bits"/> that is never generated (a 4200-bit key would take seconds):
    /// an odd number with its top bit set, which is all a public key import checks.
    /// </summary>
    public static string RsaSpkiOfSize(int bits)
    {
        var modulus = RandomNumberGenerator.GetBytes((bits + 7) / 8);
        var topBit = (bits - 1) % 8;
        modulus[0] = (byte)((modulus[0] & ((1 << topBit) - 1)) | (1 << topBit));
        modulus[^1] |= 0x01;
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = new BigInteger(65537).ToByteArray(isUnsigned: true, isBigEndian: true) });
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>32 random bytes: an ed25519 public key is any 32 bytes as far as the record's syntax goes.</summary>
    public static string Ed25519Raw() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>An ed25519 key wrapped in SubjectPublicKeyInfo (44 bytes), which RFC 8463 does not allow in p=.</summary>
    public static string Ed25519Spki() =>
        Convert.ToBase64String([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. RandomNumberGenerator.GetBytes(32)]);

    /// <summary>Splits a long TXT value into character-strings of at most 255 bytes, as DNS requires.</summary>
    public static string[] TxtStrings(string text) => text.Chunk(255).Select(c => new string(c)).ToArray();

    private static RSA Rsa(int bits) => bits switch
    {
        512 => Rsa512.Value,
        1024 => Rsa1024.Value,
        2048 => Rsa2048.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "use 512, 1024 or 2048"),
    };
}
