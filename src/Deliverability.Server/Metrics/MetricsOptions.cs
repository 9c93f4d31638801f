using Microsoft.Extensions.Options;

namespace Deliverability.Server.Metrics;

/// <summary><c>Monitor:Metrics</c>: who may read <c>/metrics</c> besides a signed-in Viewer (or an API key).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Monitor:Metrics";

    /// <summary>
    /// A secret that Prometheus sends as <c>Authorization: Bearer ...</c> (its scrape config's <c>authorization</c>),
    /// since Prometheus cannot send an <c>X-Api-Key</c> header. Empty: only Viewers and API keys read the metrics.
    /// </summary>
    public string? ScrapeToken { get; set; }
}

/// <summary>A scrape token, when set, is long enough not to be guessed and fits in a header.</summary>
public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public const int MinTokenLength = 24;

    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var token = options.ScrapeToken;
        if (string.IsNullOrEmpty(token))
        {
            return ValidateOptionsResult.Success;
        }

        return token.Length is < MinTokenLength or > 256 || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? ValidateOptionsResult.Fail($"{MetricsOptions.SectionName}:ScrapeToken must be {MinTokenLength} to 256 characters without spaces (make one with: openssl rand -hex 32).")
            : ValidateOptionsResult.Success;
    }
}
