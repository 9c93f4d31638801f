using System.Security.Cryptography;
using System.Text;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>An event id made from an event's own fields, for providers that send none: a retry of it hashes the same.</summary>
public static class DerivedEventId
{
    public static string Of(params string?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p ?? ""));
        return "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }

    /// <summary>A provider's own id, cut to the column; a longer one is hashed so that two ids never collide by the cut.</summary>
    public static string Bounded(string id) => id.Length <= SendEventRowConfiguration.EventIdLength - 2 ? id : Of(id);
}
