using System.Security.Cryptography;
using System.Text;

namespace Deliverability.Core.SendEvents.Sources.Postfix;

/// <summary>Where a followed log was read up to: the byte after the last complete line, and the file's identity then.</summary>
public sealed record LogPosition(long Offset, string Fingerprint, int FingerprintLength);

/// <summary>
/// Reads the complete lines added to a log file, like <c>tail -F</c>: when the file is rotated (renamed and a new one
/// created) the old one is read to its end first, then the new one from its start; when it is truncated (copytruncate)
/// it is read again from the start. A file is known by a hash of its first bytes (which hold its first line's time),
/// so a restart resumes at the stored offset only in the same file.
/// </summary>
public sealed class LogFileFollower(string path) : IDisposable
{
    private const int FingerprintBytes = 256;
    private const int MaxReadBytes = 1024 * 1024;
    private FileStream? _stream;
    private long _offset;
    private string _fingerprint = "";
    private int _fingerprintLength;
    private LogPosition? _restored;

    public LogPosition Position => new(_offset, _fingerprint, _fingerprintLength);

    /// <summary>Resumes at <paramref name="position"/> when the file there is the same file.</summary>
    public void Restore(LogPosition position) => _restored = position;

    /// <summary>The complete lines added since the last call (at most about 1 MB of them).</summary>
    public IReadOnlyList<string> ReadLines()
    {
        if (_stream is null && !Open())
        {
            return [];
        }

        var lines = ReadComplete();
        if (lines.Count > 0)
        {
            return lines;
        }

        // At the end of what we hold: has the path moved to a new file, or been truncated?
        if (!File.Exists(path))
        {
            return [];
        }

        var length = new FileInfo(path).Length;
        if (length < _offset || !SameFile())
        {
            Close();
            _offset = 0;
            _fingerprint = "";
            _fingerprintLength = 0;
            return Open() ? ReadComplete() : [];
        }

        return [];
    }

    private bool Open()
    {
        try
        {
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return false;
        }

        if (_restored is { } restored)
        {
            _restored = null;
            var (hash, length) = Fingerprint(_stream, restored.FingerprintLength);
            if (length == restored.FingerprintLength && hash == restored.Fingerprint && restored.Offset <= _stream.Length)
            {
                (_offset, _fingerprint, _fingerprintLength) = (restored.Offset, restored.Fingerprint, restored.FingerprintLength);
            }
        }

        return true;
    }

    private List<string> ReadComplete()
    {
        var stream = _stream!;
        if (stream.Length <= _offset)
        {
            return [];
        }

        var count = (int)Math.Min(MaxReadBytes, stream.Length - _offset);
        var buffer = new byte[count];
        stream.Position = _offset;
        stream.ReadExactly(buffer);
        var end = Array.LastIndexOf(buffer, (byte)'\n');
        if (end < 0)
        {
            // One line longer than a read: skipped rather than held forever.
            if (count == MaxReadBytes)
            {
                _offset += count;
            }

            return [];
        }

        var text = Encoding.UTF8.GetString(buffer, 0, end);
        _offset += end + 1;
        if (_fingerprintLength < FingerprintBytes)
        {
            (_fingerprint, _fingerprintLength) = Fingerprint(stream, FingerprintBytes);
        }

        return [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];
    }

    private bool SameFile()
    {
        try
        {
            using var current = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var (hash, length) = Fingerprint(current, _fingerprintLength);
            return length == _fingerprintLength && hash == _fingerprint;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return true;
        }
    }

    private static (string Hash, int Length) Fingerprint(FileStream stream, int bytes)
    {
        var length = (int)Math.Min(bytes, stream.Length);
        var buffer = new byte[length];
        stream.Position = 0;
        stream.ReadExactly(buffer);
        return (Convert.ToHexStringLower(SHA256.HashData(buffer)), length);
    }

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
    }

    public void Dispose() => Close();
}
