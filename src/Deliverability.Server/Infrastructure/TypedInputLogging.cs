using Microsoft.Extensions.Options;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// Keeps what people type into the dashboard out of the logs at every configured level. Blazor sends each field change
/// (passwords, webhook URLs and routing keys included) to the server over SignalR, and SignalR logs every hub
/// invocation with its arguments at Debug ("Received hub invocation: ... DispatchEventAsync ... "value":...). So the
/// categories that carry the dashboard's traffic log at Information or above, whatever <c>Logging:LogLevel</c> says.
/// </summary>
internal static class TypedInputLogging
{
    /// <summary>SignalR, its transports, and Blazor (circuits, events, JS interop).</summary>
    public static IReadOnlyList<string> CappedCategories { get; } = ["Microsoft.AspNetCore.SignalR", "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Components"];

    public static WebApplicationBuilder KeepTypedInputOutOfLogs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, CapTypedInputCategories>();
        return builder;
    }

    public static bool IsCapped(string? category) =>
        category is not null && CappedCategories.Any(c => category.StartsWith(c, StringComparison.Ordinal) && (category.Length == c.Length || category[c.Length] == '.'));

    /// <summary>
    /// Runs after the configuration is bound, and again whenever it is reloaded. The logging framework applies only the
    /// most specific rule for a category (a <c>Logging:Console:LogLevel:Microsoft.AspNetCore.SignalR</c> of Trace would win
    /// over any rule added here), so the cap goes into the filter of EVERY rule, plus a catch-all rule for categories
    /// that no rule names.
    /// </summary>
    private sealed class CapTypedInputCategories : IPostConfigureOptions<LoggerFilterOptions>
    {
        public void PostConfigure(string? name, LoggerFilterOptions options)
        {
            var capped = options.Rules.Select(r => new LoggerFilterRule(r.ProviderName, r.CategoryName, r.LogLevel, Capped(r.Filter))).ToList();
            options.Rules.Clear();
            // First, so that a configured rule of the same reach (Logging:LogLevel:Default) still wins over it.
            options.Rules.Add(new LoggerFilterRule(null, null, options.MinLevel, Capped(null)));
            foreach (var rule in capped)
            {
                options.Rules.Add(rule);
            }
        }

        private static Func<string?, string?, LogLevel, bool> Capped(Func<string?, string?, LogLevel, bool>? configured) =>
            (provider, category, level) => (level >= LogLevel.Information || !IsCapped(category)) && (configured?.Invoke(provider, category, level) ?? true);
    }
}
