using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Deliverability.Server.LivePush;

/// <summary><c>Monitor:LiveFeed</c>: how the live feeds of several nodes on one database reach each other.</summary>
public sealed class LivePushOptions
{
    public const string SectionName = "Monitor:LiveFeed";

    /// <summary>
    /// A StackExchange.Redis connection string (<c>redis:6379</c>, <c>host:6379,password=...,ssl=true</c>). Unset: one
    /// node, the feeds stay in process and no Redis is needed.
    /// </summary>
    public string? Redis { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);
}

/// <summary>A connection string StackExchange.Redis cannot read stops start-up; the message never repeats it (it may hold a password).</summary>
public sealed class LivePushOptionsValidator : IValidateOptions<LivePushOptions>
{
    public ValidateOptionsResult Validate(string? name, LivePushOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            return ConfigurationOptions.Parse(options.Redis!).EndPoints.Count == 0
                ? ValidateOptionsResult.Fail($"{LivePushOptions.SectionName}:Redis: names no Redis server (host:port expected, such as redis:6379)")
                : ValidateOptionsResult.Success;
        }
        catch (ArgumentException)
        {
            // Not the parser's message: it may quote a value.
            return ValidateOptionsResult.Fail($"{LivePushOptions.SectionName}:Redis: not a StackExchange.Redis connection string (host:port, then options such as password=... or ssl=true, comma-separated)");
        }
    }
}
