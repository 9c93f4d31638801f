using System.Buffers.Binary;
using System.IO.Compression;

namespace Deliverability.Testing.Images;

/// <summary>
/// A PNG decoded far enough to look at its pixels (8-bit RGB or RGBA, not interlaced: what Chromium's screenshots
/// are), so that a test can tell a render with content from a blank one.
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private readonly byte[] _pixels;
    private readonly int _channels;

    private PngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        _channels = channels;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public static PngImage Decode(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new FormatException("not a PNG");
        }

        int width = 0, height = 0, channels = 0;
        var data = new MemoryStream();
        for (var at = 8; at + 8 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                if (body[8] != 8 || body[12] != 0)
                {
                    throw new FormatException("only 8-bit, non-interlaced PNGs are read");
                }

                channels = body[9] switch { 2 => 3, 6 => 4, _ => throw new FormatException($"colour type {body[9]} is not read") };
            }
            else if (type == "IDAT")
            {
                data.Write(body);
            }

            at += 12 + length;
        }

        data.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return new PngImage(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
    }

    /// <summary>The share of pixels (0 to 1) that differ from the top-left pixel: 0 for a blank image.</summary>
    public double ContentShare()
    {
        var background = Pixel(0, 0);
        var differing = 0L;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (Pixel(x, y) != background)
                {
                    differing++;
                }
            }
        }

        return differing / (double)(Width * (long)Height);
    }

    /// <summary>The average brightness (0 black to 255 white).</summary>
    public double MeanBrightness()
    {
        double sum = 0;
        for (var i = 0; i < _pixels.Length; i += _channels)
        {
            sum += (_pixels[i] + _pixels[i + 1] + _pixels[i + 2]) / 3.0;
        }

        return sum / (_pixels.Length / _channels);
    }

    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        var i = ((y * Width) + x) * _channels;
        return (_pixels[i], _pixels[i + 1], _pixels[i + 2]);
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        var stride = width * channels;
        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan((y * (stride + 1)) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var previous = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (var x = 0; x < stride; x++)
            {
                var a = x >= channels ? row[x - channels] : 0;
                var b = previous[x];
                var c = x >= channels ? previous[x - channels] : 0;
                row[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new FormatException($"unknown PNG filter {filter}"),
                });
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
