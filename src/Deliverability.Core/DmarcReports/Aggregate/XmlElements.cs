using System.Text;
using System.Xml;

namespace Deliverability.Core.DmarcReports.Aggregate;

/// <summary>Bounded reads of an element's children and text on a forward-only <see cref="XmlReader"/>.</summary>
internal static class XmlElements
{
    /// <summary>
    /// Calls <paramref name="onChild"/> for each child element of the element the reader is on, by local name (any
    /// namespace or none: receivers disagree). The handler consumes the child; the reader ends after the end tag.
    /// </summary>
    public static void ForEachChild(XmlReader reader, Action<string> onChild)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        var depth = reader.Depth;
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
            {
                reader.Read();
                return;
            }

            if (reader.NodeType == XmlNodeType.Element)
            {
                onChild(reader.LocalName);
            }
            else
            {
                reader.Read();
            }
        }
    }

    /// <summary>
    /// The text of the element the reader is on (nested elements skipped), trimmed, read in chunks so that a huge text
    /// node costs no more than <paramref name="maxLength"/> characters; longer is refused.
    /// </summary>
    public static string ReadText(XmlReader reader, int maxLength)
    {
        var name = reader.LocalName;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        var depth = reader.Depth;
        var text = new StringBuilder();
        var chunk = new char[256];
        reader.Read();
        while (!reader.EOF)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.EndElement when reader.Depth == depth:
                    reader.Read();
                    return text.ToString().Trim();
                case XmlNodeType.Element:
                    reader.Skip();
                    continue;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    int n;
                    while ((n = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
                    {
                        if (text.Length + n > maxLength && text.ToString().Trim().Length + n > maxLength)
                        {
                            throw new InvalidReportException($"<{name}> is longer than {maxLength} characters: refused");
                        }

                        text.Append(chunk, 0, n);
                    }

                    break;
            }

            reader.Read();
        }

        return text.ToString().Trim();
    }
}
