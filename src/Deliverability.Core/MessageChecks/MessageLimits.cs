namespace Deliverability.Core.MessageChecks;

/// <summary>Bounds on what one message may make a check do: a hostile message cannot make it work without end.</summary>
public static class MessageLimits
{
    /// <summary>DKIM signatures verified per message; more are listed as not checked.</summary>
    public const int MaxSignatures = 10;

    /// <summary>Links and images read from the HTML.</summary>
    public const int MaxLinks = 2000;

    /// <summary>Distinct link and image domains asked of the URI block lists.</summary>
    public const int MaxLinkDomains = 50;

    /// <summary>Characters of the HTML part parsed (Gmail clips at 102 KB; a message far larger is already an error).</summary>
    public const int MaxHtmlChars = 5 * 1024 * 1024;
}
