using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dkim;

namespace Deliverability.Core.Tests.Authentication.Dkim;

public sealed class DkimKeyRecordTests
{
    private static string[] Codes(DkimKeyRecord record) => record.Problems.Select(p => p.Code).ToArray();

    [Fact]
    public void Rsa_2048_key_in_subject_public_key_info_is_usable_without_problems()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; k=rsa; p={DkimTestKeys.RsaSpki(2048)}");

        Assert.Empty(record.Problems);
        Assert.True(record.IsUsable);
        Assert.Equal(2048, record.KeyBits);
        Assert.Equal("rsa", record.KeyType);
    }

    [Fact]
    public void Key_type_defaults_to_rsa_and_version_is_optional()
    {
        var record = DkimKeyRecord.Parse($"p={DkimTestKeys.RsaSpki(2048)}");

        Assert.Empty(record.Problems);
        Assert.Equal("rsa", record.KeyType);
        Assert.Equal(2048, record.KeyBits);
    }

    [Fact]
    public void Rsa_1024_key_is_usable_but_weak()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={DkimTestKeys.RsaSpki(1024)}");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dkim.key_weak", Severity.Warning), (problem.Code, problem.Severity));
        Assert.Contains("1024", problem.Message);
        Assert.True(record.IsUsable);
    }

    [Fact]
    public void Rsa_512_key_is_too_short_for_verifiers()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={DkimTestKeys.RsaSpki(512)}");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dkim.key_too_short", Severity.Error), (problem.Code, problem.Severity));
        Assert.Equal(512, record.KeyBits);
        Assert.False(record.IsUsable);
    }

    [Fact]
    public void Rsa_key_over_4096_bits_may_not_verify()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={DkimTestKeys.RsaSpkiOfSize(4200)}");

        Assert.Equal(["dkim.key_too_long"], Codes(record));
        Assert.Equal(4200, record.KeyBits);
        Assert.True(record.IsUsable);
    }

    [Theory]
    [InlineData(1023, "dkim.key_too_short")]
    [InlineData(1025, "dkim.key_weak")]
    [InlineData(2047, "dkim.key_weak")]
    [InlineData(3072, null)]
    public void Rsa_key_size_is_the_exact_modulus_bit_length(int bits, string? code)
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={DkimTestKeys.RsaSpkiOfSize(bits)}");

        Assert.Equal(bits, record.KeyBits);
        Assert.Equal(code is null ? [] : [code], Codes(record));
    }

    [Fact]
    public void Key_size_matches_what_the_platform_reads_from_the_same_key()
    {
        var spki = DkimTestKeys.RsaSpkiOfSize(1536);
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(spki), out _);

        Assert.Equal(rsa.KeySize, DkimKeyRecord.Parse($"p={spki}").KeyBits);
    }

    [Fact]
    public void Non_rsa_subject_public_key_info_is_invalid_for_k_rsa()
    {
        using var ec = System.Security.Cryptography.ECDsa.Create();
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={Convert.ToBase64String(ec.ExportSubjectPublicKeyInfo())}");

        Assert.Equal(["dkim.key_invalid"], Codes(record));
    }

    [Fact]
    public void Rsa_key_followed_by_extra_bytes_is_invalid()
    {
        var key = Convert.FromBase64String(DkimTestKeys.RsaSpki(2048));
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={Convert.ToBase64String([.. key, 0x00])}");

        Assert.Equal(["dkim.key_invalid"], Codes(record));
    }

    [Fact]
    public void Bare_rsa_public_key_is_accepted_with_a_warning()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; k=rsa; p={DkimTestKeys.RsaBare(2048)}");

        Assert.Equal(["dkim.key_bare_rsa"], Codes(record));
        Assert.True(record.IsBareRsaKey);
        Assert.Equal(2048, record.KeyBits);
        Assert.True(record.IsUsable);
    }

    [Fact]
    public void Ed25519_raw_32_byte_key_is_usable()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; k=ed25519; p={DkimTestKeys.Ed25519Raw()}");

        Assert.Empty(record.Problems);
        Assert.Equal("ed25519", record.KeyType);
        Assert.True(record.IsUsable);
    }

    [Fact]
    public void Ed25519_key_of_the_wrong_length_is_invalid()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; k=ed25519; p={Convert.ToBase64String(new byte[31])}");

        Assert.Equal(["dkim.key_invalid"], Codes(record));
        Assert.False(record.IsUsable);
    }

    [Fact]
    public void Ed25519_key_wrapped_in_subject_public_key_info_is_invalid_with_a_hint()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; k=ed25519; p={DkimTestKeys.Ed25519Spki()}");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.key_invalid", problem.Code);
        Assert.Contains("raw 32-byte", problem.Message);
    }

    [Fact]
    public void Ed25519_key_published_as_rsa_does_not_decode()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={DkimTestKeys.Ed25519Raw()}");

        Assert.Equal(["dkim.key_invalid"], Codes(record));
    }

    [Fact]
    public void Empty_p_is_a_revoked_key()
    {
        var record = DkimKeyRecord.Parse("v=DKIM1; k=rsa; p=");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dkim.revoked", Severity.Error), (problem.Code, problem.Severity));
        Assert.True(record.IsRevoked);
        Assert.False(record.IsUsable);
    }

    [Fact]
    public void Missing_p_is_malformed()
    {
        var record = DkimKeyRecord.Parse("v=DKIM1; k=rsa");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.malformed", problem.Code);
        Assert.Contains("p=", problem.Message);
    }

    [Fact]
    public void Tag_names_are_case_sensitive_so_capital_p_is_no_key()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; P={DkimTestKeys.RsaSpki(2048)}");

        Assert.Equal(["dkim.malformed"], Codes(record));
    }

    [Fact]
    public void Key_that_is_not_base64_is_invalid()
    {
        var record = DkimKeyRecord.Parse("v=DKIM1; p=not*base64!");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.key_invalid", problem.Code);
        Assert.Contains("base64", problem.Message);
    }

    [Fact]
    public void Base64_that_is_not_a_key_is_invalid()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={Convert.ToBase64String("definitely not an RSA key"u8.ToArray())}");

        Assert.Equal(["dkim.key_invalid"], Codes(record));
        Assert.Null(record.KeyBits);
    }

    [Fact]
    public void White_space_inside_the_key_is_ignored()
    {
        var key = DkimTestKeys.RsaSpki(2048);
        var spaced = string.Join(" \t", key.Chunk(60).Select(c => new string(c)));

        var record = DkimKeyRecord.Parse($"v=DKIM1;\tk=rsa;  p= {spaced} ");

        Assert.Empty(record.Problems);
        Assert.Equal(key, record.PublicKey);
    }

    [Fact]
    public void Version_must_be_the_first_tag()
    {
        var record = DkimKeyRecord.Parse($"k=rsa; v=DKIM1; p={DkimTestKeys.RsaSpki(2048)}");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.malformed", problem.Code);
        Assert.Contains("first", problem.Message);
        Assert.False(record.IsUsable);
    }

    [Fact]
    public void Version_other_than_dkim1_is_malformed()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM2; p={DkimTestKeys.RsaSpki(2048)}");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.malformed", problem.Code);
        Assert.Contains("DKIM2", problem.Message);
    }

    [Fact]
    public void Duplicate_tag_makes_the_record_invalid()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; p={DkimTestKeys.RsaSpki(2048)}; k=rsa; p=");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.malformed", problem.Code);
        Assert.Contains("'p' appears twice", problem.Message);
        Assert.False(record.IsUsable);
    }

    [Fact]
    public void Text_that_is_not_a_tag_list_is_malformed_with_its_position()
    {
        var record = DkimKeyRecord.Parse("v=DKIM1; k=rsa; garbage");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.malformed", problem.Code);
        Assert.Contains("'garbage' at position 17", problem.Message);
    }

    [Fact]
    public void Empty_record_is_malformed()
    {
        Assert.Equal(["dkim.malformed"], Codes(DkimKeyRecord.Parse("  ")));
    }

    [Fact]
    public void Empty_tag_between_two_semicolons_is_malformed()
    {
        // RFC 6376 section 3.2 has no empty tag-spec; OpenDKIM refuses such a key record, so signatures fail to verify.
        var record = DkimKeyRecord.Parse($"v=DKIM1;; k=rsa; p={DkimTestKeys.RsaSpki(2048)}");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.malformed", problem.Code);
        Assert.Contains("an empty tag (';;') at position 9", problem.Message);
        Assert.False(record.IsUsable);
    }

    [Fact]
    public void Non_ascii_value_is_malformed()
    {
        var record = DkimKeyRecord.Parse("v=DKIM1; n=clé; p=");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dkim.malformed", problem.Code);
        Assert.Contains("U+00E9", problem.Message);
    }

    [Fact]
    public void Testing_flag_is_a_warning()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; t=y; p={DkimTestKeys.RsaSpki(2048)}");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dkim.testing", Severity.Warning), (problem.Code, problem.Severity));
        Assert.True(record.IsTesting);
        Assert.True(record.IsUsable);
    }

    [Fact]
    public void Strict_flag_alone_is_fine_and_flags_combine_with_colons()
    {
        var strict = DkimKeyRecord.Parse($"v=DKIM1; t=s; p={DkimTestKeys.RsaSpki(2048)}");
        var both = DkimKeyRecord.Parse($"v=DKIM1; t = s : y ; p={DkimTestKeys.RsaSpki(2048)}");

        Assert.Empty(strict.Problems);
        Assert.Equal(["s"], strict.Flags);
        Assert.Equal(["s", "y"], both.Flags);
        Assert.Equal(["dkim.testing"], Codes(both));
    }

    [Fact]
    public void Sha1_allowed_beside_sha256_is_a_warning()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; h=sha1:sha256; p={DkimTestKeys.RsaSpki(2048)}");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dkim.sha1", Severity.Warning), (problem.Code, problem.Severity));
        Assert.Equal(["sha1", "sha256"], record.HashAlgorithms);
    }

    [Fact]
    public void Sha1_only_leaves_no_hash_verifiers_accept()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; h=sha1; p={DkimTestKeys.RsaSpki(2048)}");

        Assert.Equal(["dkim.sha1", "dkim.hash_unusable"], Codes(record));
        Assert.False(record.IsUsable);
    }

    [Fact]
    public void Sha256_hash_tag_is_fine_and_unknown_hashes_are_ignored()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; h=sha512:sha256; p={DkimTestKeys.RsaSpki(2048)}");

        Assert.Empty(record.Problems);
    }

    [Fact]
    public void Unknown_key_type_is_an_error()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; k=dsa; p={DkimTestKeys.RsaSpki(2048)}");

        Assert.Equal(["dkim.key_type_unknown"], Codes(record));
        Assert.False(record.IsUsable);
    }

    [Theory]
    [InlineData("email")]
    [InlineData("*")]
    [InlineData("other:email")]
    public void Service_types_that_include_email_are_fine(string services)
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; s={services}; p={DkimTestKeys.RsaSpki(2048)}");

        Assert.Empty(record.Problems);
    }

    [Fact]
    public void Service_type_without_email_excludes_mail()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; s=other; p={DkimTestKeys.RsaSpki(2048)}");

        Assert.Equal(["dkim.service_not_email"], Codes(record));
        Assert.False(record.IsUsable);
    }

    [Fact]
    public void Unknown_tags_and_notes_are_ignored()
    {
        var record = DkimKeyRecord.Parse($"v=DKIM1; n=rotated=2026; x_future=1; k=rsa; p={DkimTestKeys.RsaSpki(2048)};");

        Assert.Empty(record.Problems);
        Assert.True(record.IsUsable);
    }

    [Fact]
    public void Every_problem_carries_a_fix()
    {
        var records = new[] { "v=DKIM1; p=", "garbage", $"v=DKIM1; t=y; h=sha1; s=x; p={DkimTestKeys.RsaSpki(512)}", "v=DKIM1; k=ed25519; p=AAAA" };

        foreach (var problem in records.SelectMany(r => DkimKeyRecord.Parse(r).Problems))
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.Fix), problem.Code);
            Assert.StartsWith("dkim.", problem.Code);
        }
    }
}
