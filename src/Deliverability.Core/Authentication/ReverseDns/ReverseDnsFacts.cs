using System.Net;

namespace Deliverability.Core.Authentication.ReverseDns;

/// <summary>Whether each sending IP has forward-confirmed reverse DNS (PTR, and that name resolves back to the IP).</summary>
public sealed record ReverseDnsFacts(IReadOnlyDictionary<IPAddress, bool> ForwardConfirmed);
