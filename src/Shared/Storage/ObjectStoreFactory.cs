using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>Creates the store for one configured provider from its settings (no I/O: clients connect on first use).</summary>
public static class ObjectStoreFactory
{
    public static IObjectStore Create(string provider, StorageProviderSettings settings, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(services);
        return settings.EffectiveKind(provider) switch
        {
            StorageProviderKind.S3 => new S3ObjectStore(S3ClientFactory.Create(settings), ownsClient: true),
            StorageProviderKind.Local => new LocalDirectoryObjectStore(settings.ResolvedRoot()),
            StorageProviderKind.GridFs => new GridFsObjectStore(services.GetService<MongoCatalog>()
                ?? throw new InvalidOperationException(
                    $"{ObjectStorageOptions.Key(nameof(ObjectStorageOptions.Providers), provider)} is GridFS, which needs MongoDB: " +
                    "call AddQuikAppMongo (part of the worker defaults) before resolving ObjectStorage.")),
            _ => throw new InvalidOperationException(
                $"{ObjectStorageOptions.Key(nameof(ObjectStorageOptions.Providers), provider, nameof(StorageProviderSettings.Kind))} is required (S3, Local or GridFs)."),
        };
    }
}
