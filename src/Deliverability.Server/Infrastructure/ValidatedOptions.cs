using Microsoft.Extensions.Options;

namespace Deliverability.Server.Infrastructure;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to the configuration section <paramref name="section"/> and checks it with
    /// <typeparamref name="TValidator"/> at start: a bad value stops start-up with a message that names its key.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>().BindSection(section).ValidateOnStart();
    }
}
