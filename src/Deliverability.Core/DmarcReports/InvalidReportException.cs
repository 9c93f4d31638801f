namespace Deliverability.Core.DmarcReports;

/// <summary>The input is not a report we accept; <see cref="Exception.Message"/> is the one-line reason shown to the user.</summary>
public sealed class InvalidReportException(string reason) : Exception(reason);
