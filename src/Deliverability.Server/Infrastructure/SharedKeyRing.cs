using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// The Data Protection key ring of a cluster: kept in the database, so that a cookie, an antiforgery token or a secret
/// protected on one node is read on every other. The keys of <c>Secrets:KeysFolder</c> (those of a node that ran before
/// with its keys in the folder, and those <c>monitor secret protect</c> makes there) are copied into the database when
/// the ring is read, so what they protected still opens; new keys go to the database only.
/// </summary>
internal sealed class SharedKeyRing(IXmlRepository database, IXmlRepository? folder) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var stored = database.GetAllElements().ToList();
        if (folder is null)
        {
            return stored;
        }

        foreach (var element in folder.GetAllElements())
        {
            // Keys carry an id; a revocation has none and is compared whole.
            var id = element.Attribute("id")?.Value;
            var known = id is null
                ? stored.Any(s => XNode.DeepEquals(s, element))
                : stored.Any(s => s.Attribute("id")?.Value == id);
            if (!known)
            {
                database.StoreElement(element, id is null ? "revocation-" + Guid.NewGuid().ToString("N") : "key-" + id);
                stored.Add(element);
            }
        }

        return stored;
    }

    public void StoreElement(XElement element, string friendlyName) => database.StoreElement(element, friendlyName);
}
