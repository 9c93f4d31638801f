using System.Globalization;
using System.Net;
using System.Text;

namespace Deliverability.Load;

/// <summary>A line chart as inline SVG: no script, no external resource; every text is HTML-escaped.</summary>
internal static class SvgChart
{
    private const int Width = 760;
    private const int Height = 280;
    private const int Left = 64;
    private const int Right = 16;
    private const int Top = 28;
    private const int Bottom = 44;

    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<Series> series,
        IReadOnlyList<(double Value, string Label)> xTicks)
    {
        var points = series.SelectMany(line => line.Points).ToList();
        var minX = xTicks.Count > 0 ? xTicks.Min(tick => tick.Value) : 0;
        var maxX = Math.Max(minX + 1e-9, Math.Max(points.Count == 0 ? 1 : points.Max(point => point.X), xTicks.Count > 0 ? xTicks.Max(tick => tick.Value) : 1));
        var yStep = NiceStep(points.Count == 0 ? 1 : points.Max(point => point.Y));
        var maxY = yStep * Math.Max(1, Math.Ceiling((points.Count == 0 ? 1 : points.Max(point => point.Y)) / yStep));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(double x) => Left + ((x - minX) / (maxX - minX) * plotWidth);
        double Y(double y) => Top + plotHeight - (y / maxY * plotHeight);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Escape(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" class=\"chart-title\">{Escape(title)}</text>");
        for (var y = 0.0; y <= maxY + (yStep / 2); y += yStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(y))}\" y2=\"{F(Y(y))}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(y) + 4)}\" text-anchor=\"end\" class=\"tick\">{Escape(Number(y))}</text>");
        }

        foreach (var (value, label) in xTicks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(value))}\" x2=\"{F(X(value))}\" y1=\"{Top}\" y2=\"{Top + plotHeight}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(value))}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\" class=\"tick\">{Escape(label)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 6}\" text-anchor=\"middle\" class=\"axis\">{Escape(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + (plotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + (plotHeight / 2)})\" class=\"axis\">{Escape(yLabel)}</text>");
        var legendX = Width - Right;
        foreach (var line in series.Reverse())
        {
            legendX -= 12 + (7 * line.Name.Length) + 18;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"10\" width=\"12\" height=\"4\" fill=\"{Escape(line.Color)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{legendX + 16}\" y=\"16\" class=\"tick\">{Escape(line.Name)}</text>");
        }

        foreach (var line in series.Where(line => line.Points.Count > 0))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Escape(line.Color)}\" stroke-width=\"1.6\" points=\"");
            svg.AppendJoin(' ', line.Points.Select(point => $"{F(X(point.X))},{F(Y(point.Y))}"));
            svg.Append("\"/>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Ticks over whole seconds for a series that starts at <paramref name="start"/>.</summary>
    public static IReadOnlyList<(double Value, string Label)> SecondTicks(double seconds)
    {
        var step = NiceStep(Math.Max(1, seconds));
        var ticks = new List<(double, string)>();
        for (var value = 0.0; value <= seconds + 1e-9; value += step)
        {
            ticks.Add((value, Number(value) + "s"));
        }

        return ticks;
    }

    private static double NiceStep(double max)
    {
        if (max <= 0 || !double.IsFinite(max))
        {
            return 1;
        }

        var rough = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var normalised = rough / magnitude;
        return magnitude * (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10);
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
