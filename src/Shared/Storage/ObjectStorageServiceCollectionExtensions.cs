using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>Registers object storage (<see cref="ObjectStorage"/> and one store per configured provider) in one call per worker.</summary>
public static class ObjectStorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ObjectStorageOptions"/> from the "Storage" section (the embedded local default when no provider is
    /// configured), validates it at start-up, and registers <see cref="ObjectStorage"/> as a singleton that owns its stores.
    /// A GridFS provider needs <c>AddQuikAppMongo</c>. Calling it twice is harmless.
    /// </summary>
    public static IServiceCollection AddQuikAppObjectStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ObjectStorage)))
        {
            return services;
        }

        services.AddOptions<ObjectStorageOptions>()
            .Bind(configuration.GetSection(ObjectStorageOptions.SectionName))
            .PostConfigure(options => options.ApplyEmbeddedDefault())
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObjectStorageOptions>, ObjectStorageOptionsValidator>());
        services.TryAddSingleton(provider => ObjectStorage.Create(provider.GetRequiredService<IOptions<ObjectStorageOptions>>(), provider));
        return services;
    }
}
