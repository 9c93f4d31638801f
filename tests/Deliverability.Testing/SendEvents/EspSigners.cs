using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Deliverability.Testing.SendEvents;

/// <summary>SendGrid's signer as SendGrid signs: ECDSA P-256 over timestamp + body, base64 DER in a header.</summary>
public sealed class SendGridSigner : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The verification key as SendGrid shows it (base64 of the DER public key).</summary>
    public string PublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    public (string Signature, string Timestamp) Sign(string body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = _key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return (Convert.ToBase64String(signature), timestamp);
    }

    /// <summary>A POST of <paramref name="body"/> with both signature headers.</summary>
    public HttpRequestMessage Request(string url, string body, DateTimeOffset at)
    {
        var (signature, timestamp) = Sign(body, at);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature", signature);
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        return request;
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>Mailgun's signature: hex HMAC-SHA256 of timestamp + token with the webhook signing key.</summary>
public static class MailgunSigner
{
    public static string Body(string signingKey, DateTimeOffset at, string token, string eventData)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes(timestamp + token)));
        return $$"""{"signature":{"timestamp":"{{timestamp}}","token":"{{token}}","signature":"{{signature}}"},"event-data":{{eventData}}}""";
    }
}

/// <summary>
/// SNS as it signs: an RSA certificate the test makes, served by <see cref="Handler"/> at an SNS host URL (the test's
/// stand-in for the internet: it answers the certificate and confirmation URLs, records every request, and nothing else).
/// </summary>
public sealed class SnsSigner : IDisposable
{
    public const string CertificateUrl = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem";
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;

    public SnsSigner()
    {
        var request = new CertificateRequest("CN=sns.amazonaws.com", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Handler = new SnsHandler(_certificate.ExportCertificatePem());
    }

    public SnsHandler Handler { get; }

    /// <summary>A Notification envelope around <paramref name="message"/>, signed with <paramref name="version"/> 1 (SHA1) or 2 (SHA256).</summary>
    public string Notification(string topicArn, string messageId, string message, DateTimeOffset at, int version = 2, string? subject = null, string certificateUrl = CertificateUrl)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Message"] = message,
            ["MessageId"] = messageId,
            ["Timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["TopicArn"] = topicArn,
            ["Type"] = "Notification",
        };
        if (subject is not null)
        {
            fields["Subject"] = subject;
        }

        return Envelope(fields, version, certificateUrl);
    }

    public string SubscriptionConfirmation(string topicArn, string subscribeUrl, DateTimeOffset at, int version = 1)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Message"] = $"You have chosen to subscribe to the topic {topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            ["MessageId"] = Guid.NewGuid().ToString(),
            ["SubscribeURL"] = subscribeUrl,
            ["Timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["Token"] = "2336412f37fb687f5d51e6e2425c464de12884c0d1f7ad7e8a7c5f3e2d1b8c5e",
            ["TopicArn"] = topicArn,
            ["Type"] = "SubscriptionConfirmation",
        };
        return Envelope(fields, version, CertificateUrl);
    }

    private string Envelope(SortedDictionary<string, string> fields, int version, string certificateUrl)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            text.Append(name).Append('\n').Append(value).Append('\n');
        }

        var hash = version == 1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var signature = _key.SignData(Encoding.UTF8.GetBytes(text.ToString()), hash, RSASignaturePadding.Pkcs1);
        var json = new JsonObject();
        foreach (var (name, value) in fields)
        {
            json[name] = value;
        }

        json["SignatureVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        json["Signature"] = Convert.ToBase64String(signature);
        json["SigningCertURL"] = certificateUrl;
        json["UnsubscribeURL"] = "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe";
        return json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
        Handler.Dispose();
    }
}

/// <summary>Answers GETs for SNS URLs: the certificate at its URL, 200 for a subscribe URL; records every request.</summary>
public sealed class SnsHandler(string certificatePem) : HttpMessageHandler
{
    private readonly List<Uri> _requests = [];

    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(request.RequestUri!);
        }

        var url = request.RequestUri!.ToString();
        var response = url == SnsSigner.CertificateUrl
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(certificatePem) }
            : url.Contains("Action=ConfirmSubscription", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<ConfirmSubscriptionResponse/>") }
                : new HttpResponseMessage(HttpStatusCode.NotFound);
        return Task.FromResult(response);
    }
}
