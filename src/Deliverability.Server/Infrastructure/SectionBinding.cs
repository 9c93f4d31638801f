using Microsoft.Extensions.Options;
using Deliverability.Core.Configuration;

namespace Deliverability.Server.Infrastructure;

public static class SectionBinding
{
    /// <summary>
    /// Binds the options to a configuration section like <c>BindConfiguration</c>, except that a value that does not
    /// convert (<c>"Timeout": "ten minutes"</c>) keeps its default and becomes one more validation problem naming its key,
    /// reported with all the others at start, instead of a raw conversion error that hides them.
    /// </summary>
    public static OptionsBuilder<T> BindSection<T>(this OptionsBuilder<T> builder, string sectionName)
        where T : class
    {
        builder.Configure<IConfiguration>((options, configuration) => ConfigurationBinding.BindInto(configuration.GetSection(sectionName), options));
        builder.Services.AddSingleton<IValidateOptions<T>>(sp => new ConvertibleValues<T>(builder.Name, sp.GetRequiredService<IConfiguration>().GetSection(sectionName)));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<T>>(sp => new ConfigurationChangeTokenSource<T>(builder.Name, sp.GetRequiredService<IConfiguration>()));
        return builder;
    }

    /// <summary>The values of the section that do not convert to their property's type.</summary>
    private sealed class ConvertibleValues<T>(string name, IConfigurationSection section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (optionsName != name)
            {
                return ValidateOptionsResult.Skip;
            }

            var problems = ConfigurationBinding.Problems(section, typeof(T));
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
