namespace Deliverability.Testing.SendEvents;

/// <summary>
/// Webhook bodies shaped as each provider's documentation shows them (field names, types and example values from the
/// SendGrid Event Webhook reference, Mailgun's webhook payloads, the Mailjet Event API guide, Amazon SES notification
/// examples and Postmark's webhook reference), with the event time given by the test so that signatures are fresh.
/// </summary>
public static class EspPayloads
{
    private static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>SendGrid's documented events, one of each kind (processed, deferred, delivered, bounce, blocked, dropped, open, click, spamreport, unsubscribe).</summary>
    public static string SendGridBatch(DateTimeOffset at, string idPrefix = "sg") => $$$"""
        [
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"processed","category":"cat facts","sg_event_id":"{{{idPrefix}}}-processed","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"deferred","category":"cat facts","sg_event_id":"{{{idPrefix}}}-deferred","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","response":"400 try again later","attempt":"5"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"delivered","category":["cat facts","receipt"],"sg_event_id":"{{{idPrefix}}}-delivered","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","response":"250 OK"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"bounce","category":"cat facts","sg_event_id":"{{{idPrefix}}}-bounce","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"500 unknown recipient example@test.com","status":"5.0.0","type":"bounce","bounce_classification":"Invalid Address"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"bounce","category":"critical","sg_event_id":"{{{idPrefix}}}-blocked","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"550 5.7.1 Message rejected due to local policy","status":"5.7.1","type":"blocked","bounce_classification":"Reputation"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"dropped","category":"cat facts","sg_event_id":"{{{idPrefix}}}-dropped","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"Bounced Address","status":"5.0.0"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"event":"open","sg_machine_open":false,"category":"cat facts","sg_event_id":"{{{idPrefix}}}-open","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","useragent":"Mozilla/4.0","ip":"255.255.255.255"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"event":"click","category":"cat facts","sg_event_id":"{{{idPrefix}}}-click","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","useragent":"Mozilla/4.0","ip":"255.255.255.255","url":"http://www.sendgrid.com/"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"event":"spamreport","sg_event_id":"{{{idPrefix}}}-spamreport","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},
          {"email":"example@test.com","timestamp":{{{Unix(at)}}},"event":"unsubscribe","category":"cat facts","sg_event_id":"{{{idPrefix}}}-unsubscribe","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"}
        ]
        """;

    /// <summary>One SendGrid delivered event, for bulk batches.</summary>
    public static string SendGridDelivered(DateTimeOffset at, string id, string email) =>
        $$$"""{"email":"{{{email}}}","timestamp":{{{Unix(at)}}},"smtp-id":"<{{{id}}}@ismtpd-555>","event":"delivered","category":"cat facts","sg_event_id":"{{{id}}}","sg_message_id":"{{{id}}}.filter0001","response":"250 OK"}""";

    /// <summary>Mailgun's documented <c>event-data</c> of a permanent failure.</summary>
    public static string MailgunFailed(DateTimeOffset at, string recipient = "alice@example.com") => $$$"""
        {"tags":["my_tag_1","my_tag_2"],"timestamp":{{{Unix(at)}}}.521243,"storage":{"url":"https://se.api.mailgun.net/v3/domains/mg.example.com/messages/message_key","key":"message_key"},
         "envelope":{"sending-ip":"209.61.154.250","sender":"bob@mg.example.com","transport":"smtp","targets":"{{{recipient}}}"},
         "recipient-domain":"example.com","id":"CPgfbmQMTCKtHW6uIWtuVe","campaigns":[],"user-variables":{"my_var_1":"Mailgun Variable #1","my-var-2":"awesome"},
         "flags":{"is-routed":false,"is-authenticated":true,"is-system-test":false,"is-test-mode":false},"log-level":"error","reason":"bounce",
         "message":{"headers":{"to":"Alice <{{{recipient}}}>","message-id":"20130503182626.18666.16540@mg.example.com","from":"Bob <bob@mg.example.com>","subject":"Test permanent_fail webhook"},"attachments":[],"size":111},
         "recipient":"{{{recipient}}}","event":"failed","severity":"permanent",
         "delivery-status":{"attempt-no":1,"message":"","code":605,"description":"Not delivering to previously bounced address","session-seconds":0}}
        """;

    /// <summary>Mailgun's documented <c>event-data</c> of a delivery.</summary>
    public static string MailgunDelivered(DateTimeOffset at, string recipient = "alice@example.com", string messageId = "20130503182626.18666.16540@mg.example.com") => $$$"""
        {"tags":["receipt"],"timestamp":{{{Unix(at)}}}.521243,"envelope":{"sending-ip":"209.61.154.250","sender":"bob@mg.example.com","transport":"smtp","targets":"{{{recipient}}}"},
         "recipient-domain":"example.com","id":"CPgfbmQMTCKtHW6uIWtuVe","campaigns":[],"user-variables":{},"log-level":"info",
         "message":{"headers":{"to":"Alice <{{{recipient}}}>","message-id":"{{{messageId}}}","from":"Bob <bob@mg.example.com>","subject":"Test delivered webhook"},"attachments":[],"size":111},
         "recipient":"{{{recipient}}}","event":"delivered",
         "delivery-status":{"tls":true,"mx-host":"smtp-in.example.com","code":250,"description":"","session-seconds":0.4331989288330078,"utf8":true,"attempt-no":1,"message":"OK","certificate-verified":true}}
        """;

    /// <summary>Mailgun's temporary failure (greylisting).</summary>
    public static string MailgunTemporary(DateTimeOffset at) => $$$"""
        {"timestamp":{{{Unix(at)}}},"id":"Fs7-5t81S2ieoqHgI46Jlw","event":"failed","severity":"temporary","reason":"generic","recipient":"alice@example.com",
         "message":{"headers":{"message-id":"20130503182626.18666.16541@mg.example.com","from":"Bob <bob@mg.example.com>"}},
         "delivery-status":{"attempt-no":1,"message":"4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.","code":421,"description":""}}
        """;

    /// <summary>Mailjet's documented bounce, sent event, and spam complaint (as a Version 2 array).</summary>
    public static string MailjetArray(DateTimeOffset at) => $$$"""
        [
          {"event":"sent","time":{{{Unix(at)}}},"MessageID":19421777835146490,"Message_GUID":"1ab23cd4-e567-8901-2345-6789f0gh1i2j","email":"api@mailjet.com","mj_campaign_id":7257,"mj_contact_id":4,"customcampaign":"receipt","mj_message_id":"19421777835146490","smtp_reply":"250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp","CustomID":"helloworld","Payload":""},
          {"event":"bounce","time":{{{Unix(at)}}},"MessageID":13792286917004336,"Message_GUID":"1ab23cd4-e567-8901-2345-6789f0gh1i2j","email":"bounce@mailjet.com","mj_campaign_id":0,"mj_contact_id":12345,"customcampaign":"","CustomID":"helloworld","Payload":"","blocked":false,"hard_bounce":true,"error_related_to":"recipient","error":"user unknown"},
          {"event":"spam","time":{{{Unix(at)}}},"MessageID":13792286917004337,"Message_GUID":"1ab23cd4-e567-8901-2345-6789f0gh1i2j","email":"api@mailjet.com","mj_campaign_id":7276,"mj_contact_id":126,"customcampaign":"critical","CustomID":"helloworld","Payload":"","source":"JMRPP"}
        ]
        """;

    /// <summary>Mailjet's single-event form (the default).</summary>
    public static string MailjetBlocked(DateTimeOffset at) => $$$"""
        {"event":"bounce","time":{{{Unix(at)}}},"MessageID":13792286917004338,"Message_GUID":"1ab23cd4-e567-8901-2345-6789f0gh1i2j","email":"bounce@mailjet.com","mj_campaign_id":0,"mj_contact_id":0,"customcampaign":"","CustomID":"helloworld","Payload":"","blocked":true,"hard_bounce":true,"error_related_to":"spam","error":"sender blocked"}
        """;

    /// <summary>An SES bounce notification (the <c>Message</c> of the SNS envelope), as in the SES notification examples.</summary>
    public static string SesBounce(DateTimeOffset at) => $$$"""
        {"notificationType":"Bounce","bounce":{"feedbackId":"0100016f...-000000","bounceType":"Permanent","bounceSubType":"General",
          "bouncedRecipients":[{"emailAddress":"jane@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"},
                               {"emailAddress":"richard@example.com","action":"failed","status":"5.7.1","diagnosticCode":"smtp; 550 5.7.1 Message rejected due to content policy"}],
          "timestamp":"{{{Iso(at)}}}","remoteMtaIp":"127.0.2.0","reportingMTA":"dsn; a8-70.smtp-out.amazonses.com"},
         "mail":{"timestamp":"{{{Iso(at.AddSeconds(-2))}}}","source":"john@example.com","sourceArn":"arn:aws:ses:us-east-1:888888888888:identity/example.com","sourceIp":"127.0.3.0","sendingAccountId":"123456789012",
          "messageId":"00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000","destination":["jane@example.com","richard@example.com"],
          "tags":{"ses:configuration-set":["transactional"],"category":["receipt"]},
          "commonHeaders":{"from":["John Doe <john@example.com>"],"to":["Jane Doe <jane@example.com>, Richard Roe <richard@example.com>"],"messageId":"custom-message-ID","subject":"Hello"}} }
        """;

    /// <summary>An SES delivery event (event publishing form, <c>eventType</c>).</summary>
    public static string SesDelivery(DateTimeOffset at) => $$$"""
        {"eventType":"Delivery","mail":{"timestamp":"{{{Iso(at.AddSeconds(-1))}}}","source":"Sender Name <sender@example.com>","messageId":"EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000","destination":["recipient@example.com"],
          "tags":{"ses:configuration-set":["ConfigSet"]},"commonHeaders":{"from":["Sender Name <sender@example.com>"],"to":["recipient@example.com"],"messageId":"EXAMPLE7c191be45","subject":"Message sent from Amazon SES"}},
         "delivery":{"timestamp":"{{{Iso(at)}}}","processingTimeMillis":546,"recipients":["recipient@example.com"],"smtpResponse":"250 2.6.0 Message received","reportingMTA":"mta-out.example.com"}}
        """;

    /// <summary>Postmark's documented bounce webhook (HardBounce, TypeCode 1).</summary>
    public static string PostmarkBounce(DateTimeOffset at, int typeCode = 1, string type = "HardBounce", long id = 4323372036854775807) => $$$"""
        {"RecordType":"Bounce","MessageStream":"outbound","ID":{{{id}}},"Type":"{{{type}}}","TypeCode":{{{typeCode}}},"Name":"Hard bounce","Tag":"Test",
         "MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","Metadata":{"a_key":"a_value","b_key":"b_value"},"ServerID":23,
         "Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).","Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
         "Email":"john@example.com","From":"sender@example.com","BouncedAt":"{{{Iso(at)}}}","DumpAvailable":true,"Inactive":true,"CanActivate":true,"Subject":"Test subject","Content":"<Full dump of bounce>"}
        """;

    /// <summary>Postmark's documented delivery webhook.</summary>
    public static string PostmarkDelivery(DateTimeOffset at) => $$$"""
        {"RecordType":"Delivery","ServerID":23,"MessageStream":"outbound","MessageID":"00000000-0000-0000-0000-000000000000","Recipient":"john@example.com","Tag":"welcome-email",
         "DeliveredAt":"{{{Iso(at)}}}","Details":"Test delivery webhook details","Metadata":{"a_key":"a_value","b_key":"b_value"}}
        """;

    /// <summary>Postmark's documented spam complaint webhook.</summary>
    public static string PostmarkSpamComplaint(DateTimeOffset at) => $$$"""
        {"RecordType":"SpamComplaint","MessageStream":"outbound","ID":42,"Type":"SpamComplaint","TypeCode":100001,"Name":"Spam complaint","Tag":"Test",
         "MessageID":"00000000-0000-0000-0000-000000000000","Metadata":{"a_key":"a_value"},"ServerID":1234,"Description":"","Details":"Test spam complaint details",
         "Email":"john@example.com","From":"sender@example.com","BouncedAt":"{{{Iso(at)}}}","DumpAvailable":true,"Inactive":true,"CanActivate":false,"Subject":"Test subject","Content":"<Abuse report dump>"}
        """;

    /// <summary>The generic format of docs/send-events.md.</summary>
    public static string Generic(DateTimeOffset at) => $$$"""
        {"events":[
          {"id":"mta1-0001","type":"delivered","timestamp":"{{{Iso(at)}}}","recipient":"carol@example.org","from":"orders@shop.example","smtp_code":250,"diagnostic":"250 2.0.0 Ok: queued","message_id":"<a1@shop.example>","latency_ms":850,"tags":["receipt"]},
          {"id":"mta1-0002","type":"blocked","timestamp":{{{Unix(at)}}},"recipient":"dave@example.org","from":"orders@shop.example","smtp_code":554,"enhanced_status":"5.7.1","diagnostic":"554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org (dave@example.org)","message_id":"<a2@shop.example>"}
        ]}
        """;
}
