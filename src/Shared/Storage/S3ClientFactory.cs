using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>Builds the AWS SDK v4 client for one configured S3 provider: AWS by region, or an S3-compatible endpoint by URL.</summary>
public static class S3ClientFactory
{
    // Signing region when only a URL is configured; S3-compatible stores accept any, AWS needs the bucket's own.
    private const string DefaultSigningRegion = "us-east-1";

    public static AmazonS3Client Create(StorageProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = CreateConfig(settings);
        return string.IsNullOrWhiteSpace(settings.AccessKey)
            ? new AmazonS3Client(config) // the default AWS credential chain (environment, profile, container or instance role)
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
    }

    public static AmazonS3Config CreateConfig(StorageProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var checksums = settings.FlexibleChecksums;
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            // SDK v4 defaults both to WHEN_SUPPORTED: every upload becomes aws-chunked with a CRC32 trailer, which S3-compatible
            // stores that do not decode aws-chunked (s3rver, older MinIO, many appliances) store verbatim as the object's bytes.
            RequestChecksumCalculation = checksums ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = checksums ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED,
        };

        // ServiceURL and RegionEndpoint reset each other: with a URL the region only names the signing scope.
        if (!string.IsNullOrWhiteSpace(settings.ServiceUrl))
        {
            config.ServiceURL = settings.ServiceUrl.Trim();
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(settings.Region) ? DefaultSigningRegion : settings.Region.Trim();
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region!.Trim());
        }

        return config;
    }
}
