namespace Deliverability.Core.Authentication.Spf;

/// <summary>check_host() ends at once with permerror or temperror (section 4.6 onwards).</summary>
internal sealed class SpfAbortException(SpfResult result, string message) : Exception(message)
{
    public SpfResult Result { get; } = result;
}
