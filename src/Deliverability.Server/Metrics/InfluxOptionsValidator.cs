using Microsoft.Extensions.Options;

namespace Deliverability.Server.Metrics;

/// <summary>Every problem of <c>Monitor:Influx</c>, each naming its key; nothing is checked when the export is off.</summary>
public sealed class InfluxOptionsValidator : IValidateOptions<InfluxOptions>
{
    private const string Prefix = InfluxOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, InfluxOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.Query))
        {
            problems.Add($"{Prefix}:Url must be an http or https URL without a query, such as http://influxdb:8086.");
        }

        switch (options.ApiVersion)
        {
            case 2:
                Require(problems, options.Org, "Org", 2, "the organization to write to");
                Require(problems, options.Bucket, "Bucket", 2, "the bucket to write to");
                Require(problems, options.Token, "Token", 2, "an API token allowed to write to the bucket");
                break;
            case 1:
                Require(problems, options.Database, "Database", 1, "the database to write to");
                if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
                {
                    problems.Add($"{Prefix}:Username and {Prefix}:Password go together: give both or neither.");
                }

                break;
            default:
                problems.Add($"{Prefix}:ApiVersion must be 2 (InfluxDB 2 and later, /api/v2/write) or 1 (InfluxDB 1.x, /write).");
                break;
        }

        if (options.FlushInterval < TimeSpan.FromSeconds(1) || options.FlushInterval > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{Prefix}:FlushInterval must be between 00:00:01 and 00:10:00.");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            problems.Add($"{Prefix}:BatchSize must be between 1 and 100000.");
        }

        if (options.BufferCapacity < options.BatchSize || options.BufferCapacity > 10_000_000)
        {
            problems.Add($"{Prefix}:BufferCapacity must be at least BatchSize and at most 10000000.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{Prefix}:Timeout must be between 00:00:01 and 00:05:00.");
        }

        foreach (var (key, value) in options.Tags)
        {
            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(value) || key.Length > 64 || value.Length > 64)
            {
                problems.Add($"{Prefix}:Tags:{key} needs a name and a value of 1 to 64 characters.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Require(List<string> problems, string? value, string key, int apiVersion, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{Prefix}:{key} is required with a Url and ApiVersion {apiVersion}: {what}.");
        }
    }
}
