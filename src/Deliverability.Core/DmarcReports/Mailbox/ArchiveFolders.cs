namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>Where an input goes once it is dealt with (under the archive folder of a mailbox, or the watched folder).</summary>
public static class ArchiveFolders
{
    public const string Aggregate = "Aggregate";
    public const string Tls = "TLS";
    public const string Invalid = "Invalid";
    public const string Unsaved = "Unsaved";

    /// <summary>The archive subfolder of an import result: Invalid, TLS (TLS-RPT reports only) or Aggregate.</summary>
    public static string For(ImportResult result) =>
        result.HasInvalid ? Invalid
        : result.Reports.All(r => r.Kind == ReportKind.TlsRpt) ? Tls
        : Aggregate;
}
