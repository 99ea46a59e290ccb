using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Hosting;

/// <summary>An options class that can say what is wrong with it, naming the configuration key.</summary>
public interface IValidatedOptions
{
    IEnumerable<string> Validate();
}

/// <summary>Runs <see cref="IValidatedOptions.Validate"/> on start, so a bad setting stops the hub with a clear message.</summary>
public sealed class ValidatedOptionsValidator<T> : IValidateOptions<T>
    where T : class, IValidatedOptions
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

public static class ValidatedOptionsExtensions
{
    /// <summary>Binds <typeparamref name="T"/> to a configuration section and validates it when the hub starts.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class, IValidatedOptions
    {
        services.AddSingleton<IValidateOptions<T>, ValidatedOptionsValidator<T>>();
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }
}
