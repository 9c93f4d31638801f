using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;
using Npgsql;

namespace Deliverability.Server.Infrastructure;

/// <summary>Every problem of the <c>Storage</c> section, each naming its configuration key.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string Prefix = StorageOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var problems = new List<string>();
        switch (options.ParsedProvider)
        {
            case null:
                problems.Add($"{Prefix}:Provider: '{options.Provider}' is not a storage provider (Sqlite or Postgres)");
                break;
            case StorageProvider.Postgres when string.IsNullOrWhiteSpace(options.ConnectionString):
                problems.Add($"{Prefix}:ConnectionString: is required when {Prefix}:Provider is Postgres");
                break;
            case StorageProvider.Postgres:
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException)
                {
                    problems.Add($"{Prefix}:ConnectionString: not a PostgreSQL connection string ({ex.Message})");
                }

                break;
            case StorageProvider.Sqlite when !string.IsNullOrWhiteSpace(options.ConnectionString):
                try
                {
                    _ = new SqliteConnectionStringBuilder(options.ConnectionString);
                }
                catch (Exception ex) when (ex is ArgumentException or FormatException)
                {
                    problems.Add($"{Prefix}:ConnectionString: not a SQLite connection string ({ex.Message})");
                }

                break;
        }

        if (options.Retention.HistoryDays < 1)
        {
            problems.Add($"{Prefix}:Retention:HistoryDays: must be at least 1 (was {options.Retention.HistoryDays})");
        }

        if (options.Retention.MaxHistoryPerCheck < 1)
        {
            problems.Add($"{Prefix}:Retention:MaxHistoryPerCheck: must be at least 1 (was {options.Retention.MaxHistoryPerCheck})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
