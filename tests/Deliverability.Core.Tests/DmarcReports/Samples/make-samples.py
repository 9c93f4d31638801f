#!/usr/bin/env python3
"""Builds the packed and malformed samples from xml/ (deterministic: fixed gzip and zip times, fixed MIME boundaries).

Run from this folder: python3 make-samples.py. The outputs are committed; the tests read them, never this script."""
import gzip, io, json, zipfile, base64, os

HERE = os.path.dirname(os.path.abspath(__file__))
DAY = 1795651200          # 2026-11-26T00:00:00Z
END = DAY + 86399


def read(name):
    with open(os.path.join(HERE, 'xml', name), 'rb') as f:
        return f.read()


def write(folder, name, data):
    with open(os.path.join(HERE, folder, name), 'wb') as f:
        f.write(data)


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode='wb', mtime=0, filename='') as g:
        g.write(data)
    return out.getvalue()


def zipped(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 27, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def crlf(data):
    return data.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')


def email(sender, subject, parts, boundary='=_report_boundary_7f3a'):
    """parts: (content type, file name or None, bytes); binary parts base64, text parts as they are."""
    lines = [
        f'From: {sender}',
        'To: dmarc-rua@shop.example',
        f'Subject: {subject}',
        'Date: Fri, 27 Nov 2026 03:12:09 +0000',
        'Message-ID: <report-' + subject.replace(' ', '-').replace(':', '').lower()[:40] + '@receiver.example>',
        'MIME-Version: 1.0',
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        '',
        'This is a multi-part message in MIME format.',
    ]
    for content_type, file_name, data in parts:
        lines.append(f'--{boundary}')
        if file_name:
            lines.append(f'Content-Type: {content_type}; name="{file_name}"')
            lines.append(f'Content-Disposition: attachment; filename="{file_name}"')
            lines.append('Content-Transfer-Encoding: base64')
            lines.append('')
            encoded = base64.b64encode(data).decode('ascii')
            lines.extend(encoded[i:i + 76] for i in range(0, len(encoded), 76))
        else:
            lines.append(f'Content-Type: {content_type}; charset="utf-8"')
            lines.append('')
            lines.append(data.decode('utf-8'))
    lines.append(f'--{boundary}--')
    lines.append('')
    return '\r\n'.join(lines).encode('utf-8')


def small(org, email_addr, report_id, records, begin=DAY, end=END, root_open='<feedback>', extra_after_root_open='', declaration='<?xml version="1.0" encoding="UTF-8"?>'):
    rows = ''.join(f'''
  <record>
    <row>
      <source_ip>{ip}</source_ip>
      <count>{count}</count>
      <policy_evaluated>
        <disposition>{disposition}</disposition>
        <dkim>{dkim}</dkim>
        <spf>{spf}</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <header_from>shop.example</header_from>
    </identifiers>
    <auth_results>
      <spf>
        <domain>shop.example</domain>
        <result>{spf}</result>
      </spf>
    </auth_results>
  </record>''' for ip, count, disposition, dkim, spf in records)
    email_element = f'\n    <email>{email_addr}</email>' if email_addr else ''
    return f'''{declaration}
{root_open}{extra_after_root_open}
  <report_metadata>
    <org_name>{org}</org_name>{email_element}
    <report_id>{report_id}</report_id>
    <date_range>
      <begin>{begin}</begin>
      <end>{end}</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>shop.example</domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>none</p>
  </policy_published>{rows}
</feedback>
'''


# --- Readable XML sources built from the template (written once into xml/ so they can be read) ---
sources = {
    'upper-case-words.xml': crlf(small('Mimecast', 'dmarc-reports@mimecast.example', 'mc-2026-11-26-0001',
                                       [('192.0.2.10', 40, 'NONE', 'PASS', 'PASS'), ('203.0.113.9', 5, 'Quarantine', 'FAIL', 'Fail')]).encode()),
    'empty-org-name.xml': small('', 'dmarc-reports@receiver.example', 'empty-org-1', [('192.0.2.10', 7, 'none', 'pass', 'pass')]).encode(),
    'empty-org-no-email.xml': small('', None, 'empty-org-2', [('192.0.2.10', 3, 'none', 'pass', 'fail')]).encode(),
    'stray-schema-tag.xml': small('Example Receiver', 'dmarc@receiver.example', 'stray-schema-1', [('192.0.2.10', 9, 'none', 'pass', 'pass')],
                                  extra_after_root_open='\n  <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">').encode(),
    'multi-day-72h.xml': small('Example Receiver', 'dmarc@receiver.example', 'three-days-1', [('192.0.2.10', 300, 'none', 'pass', 'pass')],
                               begin=DAY, end=DAY + 3 * 86400 - 1).encode(),
    'windows-1252.xml': small('Messagerie Générale', 'dmarc@messagerie.example', 'cp1252-1', [('192.0.2.10', 4, 'none', 'pass', 'pass')],
                              declaration='<?xml version="1.0" encoding="windows-1252"?>').encode('cp1252'),
}
for name, data in sources.items():
    write('xml', name, data)

# --- Shapes of the big receivers ---
google = read('google.xml')
write('packed', 'google.com!shop.example!1795651200!1795737599.zip', zipped([('google.com!shop.example!1795651200!1795737599.xml', google)]))
write('packed', 'google-report.eml', email('noreply-dmarc-support@google.com', 'Report domain: shop.example Submitter: google.com Report-ID: 14023417298761934512',
                                           [('application/zip', 'google.com!shop.example!1795651200!1795737599.zip', zipped([('google.com!shop.example!1795651200!1795737599.xml', google)]))]))
microsoft = crlf(read('microsoft.xml'))
write('packed', 'enterprise.protection.outlook.com!shop.example!1795651200!1795737600.xml.gz', gz(microsoft))
write('packed', 'microsoft-report.eml', email('DMARC Aggregate Report <dmarcreport@microsoft.com>', 'Report Domain: shop.example Submitter: enterprise.protection.outlook.com Report-ID: 8f0b6c1e4d2a4b7e9c3f5a1d2e6b7c8d',
                                              [('text/plain', None, b'This is a DMARC aggregate report from Microsoft Corporation.'),
                                               ('application/gzip', 'enterprise.protection.outlook.com!shop.example!1795651200!1795737600.xml.gz', gz(microsoft))]))
yahoo = read('yahoo.xml')
write('packed', 'yahoo.com!shop.example!1795651200!1795737599.xml.gz', gz(yahoo))
write('packed', 'mimecast-report.eml', email('Mimecast DMARC <dmarc-reports@mimecast.example>', 'DMARC Aggregate Report shop.example',
                                             [('text/html', None, b'<html><body><p>DMARC aggregate report attached.</p></body></html>'),
                                              ('application/x-zip-compressed', 'mimecast.example!shop.example!1795651200!1795737599.zip', zipped([('report.xml', read('upper-case-words.xml'))]))]))
write('packed', 'empty-org-no-email.eml', email('reports@mx.carrier.example', 'Report domain: shop.example', [('application/gzip', 'report.xml.gz', gz(read('empty-org-no-email.xml')))]))
# Stray bytes after the gzip data (a mail gateway's padding, a trailing newline).
write('packed', 'stray-bytes-after-gzip.xml.gz', gz(read('stray-schema-tag.xml').replace(b'stray-schema-1', b'stray-bytes-1')) + b'\r\n\r\n-- \r\ntrailer\r\n')
write('packed', 'stray-bytes-after-root.xml', read('empty-org-name.xml').replace(b'empty-org-1', b'after-root-1') + b'\x00\x00<garbage')

tlsrpt = {
    'organization-name': 'Google Inc.',
    'date-range': {'start-datetime': '2026-11-26T00:00:00Z', 'end-datetime': '2026-11-26T23:59:59Z'},
    'contact-info': 'smtp-tls-reporting@google.com',
    'report-id': '2026-11-26T00:00:00Z_shop.example',
    'policies': [{
        'policy': {'policy-type': 'sts', 'policy-string': ['version: STSv1', 'mode: enforce', 'mx: mx1.shop.example', 'mx: mx2.shop.example', 'max_age: 604800'],
                   'policy-domain': 'shop.example', 'mx-host': ['mx1.shop.example', 'mx2.shop.example']},
        'summary': {'total-successful-session-count': 1500, 'total-failure-session-count': 12},
        'failure-details': [
            {'result-type': 'certificate-expired', 'sending-mta-ip': '209.85.220.41', 'receiving-mx-hostname': 'mx2.shop.example', 'receiving-ip': '192.0.2.25', 'failed-session-count': 10},
            {'result-type': 'starttls-not-supported', 'sending-mta-ip': '209.85.220.42', 'receiving-mx-hostname': 'mx1.shop.example', 'failed-session-count': 2,
             'additional-information': 'https://mx1.shop.example/tls-help'}]}]}
write('packed', 'google-tlsrpt.eml', email('tls-reporting@google.com', 'Report Domain: shop.example Submitter: google.com Report-ID: <2026-11-26T00:00:00Z_shop.example>',
                                           [('text/plain', None, b'This is an aggregate TLS report from google.com'),
                                            ('application/tlsrpt+gzip', 'google.com!shop.example!1795651200!1795737599!001.json.gz', gz(json.dumps(tlsrpt, indent=1).encode()))]))
microsoft_tls = {
    'organization-name': 'Microsoft Corporation',
    'date-range': {'start-datetime': '2026-11-26T00:00:00Z', 'end-datetime': '2026-11-26T23:59:59Z'},
    'contact-info': 'tlsrpt-noreply@microsoft.com',
    'report-id': '133782912000000000+shop.example',
    'policies': [{'policy': {'policy-type': 'no-policy-found', 'policy-domain': 'shop.example'},
                  'summary': {'total-successful-session-count': 420, 'total-failure-session-count': 0}}]}
write('packed', 'microsoft-tlsrpt.json', json.dumps(microsoft_tls).encode())

# --- Malformed ---
write('malformed', 'xxe.xml', b'''<?xml version="1.0"?>
<!DOCTYPE feedback [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<feedback><report_metadata><org_name>&xxe;</org_name><report_id>x</report_id></report_metadata></feedback>
''')
write('malformed', 'billion-laughs.xml', b'''<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>
''')
# 40 MiB of zeros in one entry: above the 16 MiB per-report limit the sample tests use.
write('malformed', 'zip-bomb.zip', zipped([('report.xml', b'\0' * (40 * 1024 * 1024))]))
write('malformed', 'gzip-bomb.xml.gz', gz(b'<feedback>' + b' ' * (40 * 1024 * 1024) + b'</feedback>'))
nested = zipped([('report.xml', google)])
for level in range(4):
    nested = zipped([(f'level{level}.zip', nested)])
write('malformed', 'nested-zips.zip', nested)
write('malformed', 'too-many-entries.zip', zipped([(f'report{i}.xml', google) for i in range(40)]))
whole = gz(google)
write('malformed', 'truncated.xml.gz', whole[:len(whole) // 2])
write('malformed', 'empty.xml', b'')
write('malformed', 'wrong-root.xml', b'<?xml version="1.0"?>\n<html><body>Report</body></html>\n')
write('malformed', 'span-40-days.xml', small('Example Receiver', 'dmarc@receiver.example', 'forty-days', [('192.0.2.10', 1, 'none', 'pass', 'pass')],
                                             begin=DAY, end=DAY + 40 * 86400).encode())
write('malformed', 'bad-record.xml', small('Example Receiver', 'dmarc@receiver.example', 'bad-record-1',
                                           [('192.0.2.10', 10, 'none', 'pass', 'pass'), ('not-an-ip', 1, 'none', 'pass', 'pass')]).encode())
write('malformed', 'not-a-report.txt', b'%PDF-1.7 this is not a report\n')
write('malformed', 'no-report.eml', email('postmaster@receiver.example', 'Hello', [('text/plain', None, b'No report here, sorry.')]))
write('malformed', 'tlsrpt-no-date-range.json', json.dumps({'organization-name': 'X', 'report-id': 'r1', 'policies': []}).encode())
