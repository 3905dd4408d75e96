using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Shared.Tests.Storage;

/// <summary>Binding and start-up validation of the "Storage" section, derivative keys and CDN URLs.</summary>
public sealed class ObjectStorageOptionsTests
{
    private static readonly Guid WorkspaceId = Guid.Parse("0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a");
    private static readonly Guid FileId = Guid.Parse("5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");

    [Fact]
    public void Bind_NothingConfigured_UsesTheEmbeddedLocalDefault()
    {
        using var provider = Services([]).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ObjectStorageOptions>>().Value;
        var storage = provider.GetRequiredService<ObjectStorage>();

        var local = Assert.Single(options.Providers);
        Assert.Equal("local", local.Key);
        Assert.Equal(Path.Join(AppContext.BaseDirectory, "storage"), local.Value.ResolvedRoot());
        Assert.IsType<LocalDirectoryObjectStore>(storage.For("LOCAL"));
        Assert.Empty(options.AllowedBuckets);
        Assert.Equal(256L * 1024 * 1024, options.MaxObjectBytes);
        Assert.Equal(("local", "derivatives", "thumbs"), (options.Derivatives.Provider, options.Derivatives.Bucket, options.Derivatives.Prefix));
        Assert.Equal(("local", "quarantine", "quarantine"), (options.Quarantine.Provider, options.Quarantine.Bucket, options.Quarantine.Prefix));
        Assert.Null(options.CdnBaseUrl);
    }

    [Fact]
    public void Bind_EverySetting_ReachesTheOptionsAndTheStores()
    {
        using var provider = Services(new()
        {
            ["Storage:Providers:S3:ServiceUrl"] = "http://minio:9000",
            ["Storage:Providers:S3:Region"] = "eu-west-1",
            ["Storage:Providers:S3:ForcePathStyle"] = "true",
            ["Storage:Providers:S3:AccessKey"] = "minio",
            ["Storage:Providers:S3:SecretKey"] = "minio-secret",
            ["Storage:Providers:archive:Kind"] = "S3",
            ["Storage:Providers:archive:Region"] = "us-east-1",
            ["Storage:Providers:Local:Root"] = "/var/lib/quikapp/storage",
            ["Storage:AllowedBuckets:s3:0"] = "QuikApp-files",
            ["Storage:AllowedBuckets:local:0"] = "uploads",
            ["Storage:MaxObjectBytes"] = "1048576",
            ["Storage:Derivatives:Provider"] = "s3",
            ["Storage:Derivatives:Bucket"] = "quikapp-derivatives",
            ["Storage:Derivatives:Prefix"] = "/thumbs/",
            ["Storage:CdnBaseUrl"] = "https://cdn.quikapp.dev/",
            ["Storage:Quarantine:Provider"] = "archive",
            ["Storage:Quarantine:Bucket"] = "quikapp-quarantine",
            ["Storage:Quarantine:Prefix"] = "q",
        }).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ObjectStorageOptions>>().Value;
        var storage = provider.GetRequiredService<ObjectStorage>();

        Assert.Equal(["archive", "Local", "S3"], options.Providers.Keys.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(StorageProviderKind.S3, options.KindOf("s3"));
        Assert.Equal(StorageProviderKind.S3, options.KindOf("archive"));
        Assert.Equal(StorageProviderKind.Local, options.KindOf("local"));
        Assert.True(options.Providers["s3"].ForcePathStyle);
        Assert.Equal(["QuikApp-files"], options.AllowedBuckets["S3"]);
        Assert.Equal(1_048_576, options.MaxObjectBytes);
        Assert.IsType<S3ObjectStore>(storage.For("s3"));
        Assert.IsType<S3ObjectStore>(storage.For("archive"));
        Assert.Equal(new ObjectLocation("s3", "quikapp-derivatives", $"thumbs/{WorkspaceId}/{FileId}.webp"), storage.DerivativeLocation(WorkspaceId, FileId, ".WebP"));
    }

    [Fact]
    public void CreateConfig_ServiceUrlWithRegion_SignsForTheRegionAndAsksForChecksumsOnlyWhenRequired()
    {
        var config = S3ClientFactory.CreateConfig(new StorageProviderSettings { ServiceUrl = "http://minio:9000", Region = "eu-west-1", ForcePathStyle = true });

        Assert.Equal("http://minio:9000/", config.ServiceURL);
        Assert.Equal("eu-west-1", config.AuthenticationRegion);
        Assert.True(config.ForcePathStyle);
        Assert.Equal(Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED, config.RequestChecksumCalculation);
        Assert.Equal(Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED, config.ResponseChecksumValidation);
    }

    [Fact]
    public void CreateConfig_RegionOnly_UsesTheAwsRegionEndpoint()
    {
        var config = S3ClientFactory.CreateConfig(new StorageProviderSettings { Region = "eu-central-1", FlexibleChecksums = true });

        Assert.Equal(Amazon.RegionEndpoint.EUCentral1, config.RegionEndpoint);
        Assert.Null(config.ServiceURL);
        Assert.Equal(Amazon.Runtime.RequestChecksumCalculation.WHEN_SUPPORTED, config.RequestChecksumCalculation);
    }

    [Theory]
    [InlineData("Storage:Providers:s3:ForcePathStyle", "true", "Storage:Providers:s3:ServiceUrl or Storage:Providers:s3:Region is required")]
    [InlineData("Storage:Providers:s3:ServiceUrl", "minio:9000", "Storage:Providers:s3:ServiceUrl 'minio:9000' must be an absolute http(s) URL")]
    [InlineData("Storage:Providers:s3:ServiceUrl", "http://minio:9000/bucket", "Storage:Providers:s3:ServiceUrl 'http://minio:9000/bucket' must be an absolute http(s) URL with no path")]
    [InlineData("Storage:Providers:s3:Region", "Frankfurt", "Storage:Providers:s3:Region 'Frankfurt' is not a region name")]
    [InlineData("Storage:Providers:s3:AccessKey", "AKIA", "Storage:Providers:s3:AccessKey and Storage:Providers:s3:SecretKey go together")]
    [InlineData("Storage:Providers:minio:ServiceUrl", "http://minio:9000", "Storage:Providers:minio:Kind is required (S3, Local or GridFs)")]
    [InlineData("Storage:Providers:local:Enabled", "true", "Storage:Providers:local:Root is required")]
    [InlineData("Storage:Providers:bad name!:Kind", "Local", "Storage:Providers:bad name!: provider names are 1-32 letters")]
    [InlineData("Storage:MaxObjectBytes", "0", "Storage:MaxObjectBytes (0) must be at least 1 byte")]
    [InlineData("Storage:AllowedBuckets:ftp:0", "x", "Storage:AllowedBuckets:ftp names a provider that is not configured (configured: files, gridfs)")]
    [InlineData("Storage:Derivatives:Provider", "s3", "Storage:Derivatives:Provider 's3' is not a configured provider (configured: files, gridfs)")]
    [InlineData("Storage:Quarantine:Provider", "gridfs", "Storage:Quarantine:Provider 'gridfs' is GridFS, which only holds the file-service's originals")]
    [InlineData("Storage:Derivatives:Bucket", "", "Storage:Derivatives:Bucket is required")]
    [InlineData("Storage:Derivatives:Prefix", "thumbs/../x", "Storage:Derivatives:Prefix 'thumbs/../x' must be plain '/'-separated segments")]
    [InlineData("Storage:CdnBaseUrl", "cdn.quikapp.dev", "Storage:CdnBaseUrl 'cdn.quikapp.dev' must be an absolute http(s) URL")]
    [InlineData("Storage:CdnBaseUrl", "https://cdn.quikapp.dev/?v=1", "without query or fragment")]
    public void Validate_BadSetting_FailsAtStartNamingTheSetting(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            // A valid base: one local provider named "files", derivatives and quarantine on it; GridFS for the target checks.
            ["Storage:Providers:files:Kind"] = "Local",
            ["Storage:Providers:files:Root"] = "/tmp/quikapp",
            ["Storage:Providers:gridfs:Enabled"] = "true",
            ["Storage:Derivatives:Provider"] = "files",
            ["Storage:Quarantine:Provider"] = "files",
            [key] = value,
        };

        var message = ValidationMessage(settings);

        Assert.NotNull(message);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SecretKeyWithoutAccessKey_NeverEchoesTheSecret()
    {
        var message = ValidationMessage(new()
        {
            ["Storage:Providers:s3:Region"] = "us-east-1",
            ["Storage:Providers:s3:SecretKey"] = "TopSecret123",
            ["Storage:Providers:local:Root"] = "/tmp/x",
        });

        Assert.NotNull(message);
        Assert.Contains("Storage:Providers:s3:AccessKey and Storage:Providers:s3:SecretKey go together", message, StringComparison.Ordinal);
        Assert.DoesNotContain("TopSecret123", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DisabledProvider_CountsAsNotConfigured()
    {
        var message = ValidationMessage(new()
        {
            ["Storage:Providers:local:Root"] = "/tmp/x",
            ["Storage:Providers:local:Enabled"] = "false",
        });

        Assert.NotNull(message);
        Assert.Contains("Storage:Providers configures no enabled provider", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("thumbs", "webp", "thumbs/0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a/5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.webp")]
    [InlineData("/media/thumbs/", ".JPG", "media/thumbs/0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a/5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.jpg")]
    [InlineData("", "png", "0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a/5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.png")]
    public void DerivativeLocation_PrefixAndExtension_BuildsTheKeyUnderThePrefix(string prefix, string extension, string expectedKey)
    {
        var options = new ObjectStorageOptions { Derivatives = new() { Provider = "s3", Bucket = "thumbs-bucket", Prefix = prefix } };

        var location = options.DerivativeLocation(WorkspaceId, FileId, extension);

        Assert.Equal(new ObjectLocation("s3", "thumbs-bucket", expectedKey), location);
    }

    [Theory]
    [InlineData("")]
    [InlineData("web/p")]
    [InlineData("../x")]
    [InlineData("averyverylongextension")]
    public void DerivativeLocation_ExtensionThatIsNotAPlainWord_Throws(string extension)
    {
        Assert.Throws<ArgumentException>(() => new ObjectStorageOptions().DerivativeLocation(WorkspaceId, FileId, extension));
    }

    [Theory]
    [InlineData("thumbs", "thumbnail", "webp", "thumbs/0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a/5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.thumbnail.webp")]
    [InlineData("", "preview-2x", ".JPG", "0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a/5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.preview-2x.jpg")]
    public void DerivativeLocation_WithVariant_PutsTheVariantBetweenFileIdAndExtension(string prefix, string variant, string extension, string expectedKey)
    {
        var options = new ObjectStorageOptions { Derivatives = new() { Provider = "s3", Bucket = "thumbs-bucket", Prefix = prefix } };

        var location = options.DerivativeLocation(WorkspaceId, FileId, variant, extension);

        Assert.Equal(new ObjectLocation("s3", "thumbs-bucket", expectedKey), location);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-x")]
    [InlineData("Thumb")]
    [InlineData("a/b")]
    [InlineData("a.b")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void DerivativeLocation_VariantThatIsNotASizeName_Throws(string variant)
    {
        Assert.Throws<ArgumentException>(() => new ObjectStorageOptions().DerivativeLocation(WorkspaceId, FileId, variant, "webp"));
    }

    [Theory]
    [InlineData("https://cdn.quikapp.dev", "thumbs/w/f.webp", "https://cdn.quikapp.dev/thumbs/w/f.webp")]
    [InlineData("https://cdn.quikapp.dev/", "thumbs/w/f.webp", "https://cdn.quikapp.dev/thumbs/w/f.webp")]
    [InlineData("https://cdn.quikapp.dev/media/", "thumbs/w/f.webp", "https://cdn.quikapp.dev/media/thumbs/w/f.webp")]
    [InlineData("https://cdn.quikapp.dev/", "thumbs/my file#1?.webp", "https://cdn.quikapp.dev/thumbs/my%20file%231%3F.webp")]
    [InlineData("https://cdn.quikapp.dev/", "thumbs/a+b%2F/ü.webp", "https://cdn.quikapp.dev/thumbs/a%2Bb%252F/%C3%BC.webp")]
    public void PublicUrl_DerivativeKey_IsTheCdnBaseFollowedByTheEscapedSegments(string cdn, string key, string expected)
    {
        var options = new ObjectStorageOptions { CdnBaseUrl = cdn, Derivatives = new() { Provider = "s3", Bucket = "d", Prefix = "thumbs" } };

        Assert.Equal(expected, options.PublicUrl(new ObjectLocation("S3", "d", key)));
    }

    [Fact]
    public void PublicUrl_LocationOutsideTheDerivativesBucket_Throws()
    {
        var options = new ObjectStorageOptions { CdnBaseUrl = "https://cdn.quikapp.dev/", Derivatives = new() { Provider = "s3", Bucket = "d" } };

        Assert.Throws<ArgumentException>(() => options.PublicUrl(new ObjectLocation("s3", "QuikApp-files", "secret.pdf")));
    }

    [Fact]
    public void PublicUrl_NoCdnConfigured_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => new ObjectStorageOptions().PublicUrl(new ObjectLocation("local", "derivatives", "thumbs/x.webp")));

        Assert.Contains("Storage:CdnBaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuarantineLocation_Original_KeepsItsOriginUnderThePrefix()
    {
        var options = new ObjectStorageOptions { Quarantine = new() { Provider = "s3", Bucket = "q", Prefix = "quarantine/" } };

        var location = options.QuarantineLocation(new ObjectLocation("S3", "QuikApp-files", "workspaces/w/files/f.pdf"));

        Assert.Equal(new ObjectLocation("s3", "q", "quarantine/s3/QuikApp-files/workspaces/w/files/f.pdf"), location);
    }

    [Fact]
    public void Resolve_GridFsProviderWithoutMongo_ThrowsNamingWhatIsMissing()
    {
        using var provider = Services(new()
        {
            ["Storage:Providers:gridfs:Enabled"] = "true",
            ["Storage:Providers:local:Root"] = "/tmp/x",
        }).BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ObjectStorage>());

        Assert.Contains("AddQuikAppMongo", error.Message, StringComparison.Ordinal);
    }

    private static IServiceCollection Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddQuikAppObjectStorage(configuration);
    }

    private static string? ValidationMessage(Dictionary<string, string?> settings)
    {
        using var provider = Services(settings).BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<ObjectStorageOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
    }
}
