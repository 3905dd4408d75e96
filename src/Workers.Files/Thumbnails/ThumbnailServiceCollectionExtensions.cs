using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Metadata;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>Registers thumbnail rendering and metadata reading (section <c>Files:Thumbnails</c>, validated at start-up).</summary>
public static class ThumbnailServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="ThumbnailOptions"/>, and registers one <see cref="DecodeGate"/> shared by the
    /// <see cref="ThumbnailRenderer"/> and the <see cref="MetadataReader"/>, so their decodes together stay within the cap.
    /// </summary>
    public static IServiceCollection AddThumbnailsAndMetadata(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ThumbnailOptions>()
            .Bind(configuration.GetSection(ThumbnailOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ThumbnailOptions>, ThumbnailOptionsValidator>());
        services.TryAddSingleton<DecodeGate>();
        services.TryAddSingleton<ThumbnailRenderer>();
        services.TryAddSingleton<MetadataReader>();
        return services;
    }
}
