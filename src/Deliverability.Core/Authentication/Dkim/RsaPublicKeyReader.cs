using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Deliverability.Core.Authentication.Dkim;

/// <summary>
/// Reads the modulus size of an RSA public key in DER: a SubjectPublicKeyInfo, or a bare PKCS#1 RSAPublicKey.
/// Decoded with System.Formats.Asn1: importing into <see cref="RSA"/> goes through OpenSSL and costs about 0.6 ms
/// per key (measured), too much for an audit of a thousand domains a second, and only the size is needed.
/// </summary>
internal static class RsaPublicKeyReader
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary>
    /// The modulus size of a SubjectPublicKeyInfo <c>SEQUENCE { SEQUENCE { algorithm OID, parameters }, BIT STRING }</c>
    /// holding an RSA key (rsaEncryption); false for anything else.
    /// </summary>
    public static bool TryReadSubjectPublicKeyInfo(ReadOnlySpan<byte> der, out int modulusBits)
    {
        modulusBits = 0;
        try
        {
            AsnDecoder.ReadSequence(der, AsnEncodingRules.DER, out var offset, out var length, out var consumed);
            if (consumed != der.Length)
            {
                return false;
            }

            var info = der.Slice(offset, length);
            AsnDecoder.ReadSequence(info, AsnEncodingRules.DER, out var algorithmOffset, out var algorithmLength, out var algorithmConsumed);
            var algorithm = info.Slice(algorithmOffset, algorithmLength);
            if (AsnDecoder.ReadObjectIdentifier(algorithm, AsnEncodingRules.DER, out _) != RsaEncryptionOid)
            {
                return false;
            }

            var keyBits = info[algorithmConsumed..];
            if (!AsnDecoder.TryReadPrimitiveBitString(keyBits, AsnEncodingRules.DER, out var unusedBits, out var key, out var keyConsumed)
                || unusedBits != 0 || keyConsumed != keyBits.Length)
            {
                return false;
            }

            return TryReadRsaPublicKey(key, out modulusBits);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>The modulus size of a PKCS#1 RSAPublicKey <c>SEQUENCE { modulus INTEGER, publicExponent INTEGER }</c>.</summary>
    public static bool TryReadRsaPublicKey(ReadOnlySpan<byte> der, out int modulusBits)
    {
        modulusBits = 0;
        try
        {
            AsnDecoder.ReadSequence(der, AsnEncodingRules.DER, out var offset, out var length, out var consumed);
            if (consumed != der.Length)
            {
                return false;
            }

            var content = der.Slice(offset, length);
            var modulus = AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out var modulusLength);
            var exponent = AsnDecoder.ReadIntegerBytes(content[modulusLength..], AsnEncodingRules.DER, out var exponentLength);
            if (modulusLength + exponentLength != content.Length || !IsPositive(modulus) || !IsPositive(exponent) || (exponent[^1] & 1) == 0 || (modulus[^1] & 1) == 0)
            {
                return false;
            }

            if (modulus[0] == 0)
            {
                modulus = modulus[1..];
            }

            modulusBits = (modulus.Length - 1) * 8 + (8 - byte.LeadingZeroCount(modulus[0]));
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    // DER integers are two's complement: a set top bit of the first byte is a negative number.
    private static bool IsPositive(ReadOnlySpan<byte> integer) =>
        integer.Length > 0 && (integer[0] & 0x80) == 0 && (integer.Length > 1 || integer[0] != 0);
}
