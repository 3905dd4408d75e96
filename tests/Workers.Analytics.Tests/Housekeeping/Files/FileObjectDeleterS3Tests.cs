using MongoDB.Bson;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Analytics.Housekeeping.Files;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Storage;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Files;

/// <summary>Deleting a claimed file's objects on S3 (s3rver): exactly the file's original and derivatives go; re-running finds them absent.</summary>
public sealed class FileObjectDeleterS3Tests(S3rverFixture s3rver)
{
    [Fact(Timeout = 60_000)]
    public async Task DeleteAsync_ExpiredFileOnS3_DeletesItsObjectsAndNothingElse()
    {
        var ct = TestContext.Current.CancellationToken;
        await s3rver.StartAsync(ct);
        var options = new ObjectStorageOptions
        {
            Derivatives = new StorageTarget { Provider = "s3", Bucket = "quikapp-derivatives", Prefix = "thumbs" },
            Quarantine = new StorageTarget { Provider = "s3", Bucket = "quikapp-quarantine", Prefix = "quarantine" },
        };
        options.Providers["s3"] = s3rver.ProviderSettings();
        options.AllowedBuckets["s3"] = ["quikapp-files"];
        using var s3 = new S3ObjectStore(S3ClientFactory.Create(s3rver.ProviderSettings()), ownsClient: true);
        using var storage = new ObjectStorage(new Dictionary<string, IObjectStore> { ["s3"] = s3 }, options);
        var workspace = Guid.NewGuid();
        var fileId = Guid.NewGuid();
        var otherFile = Guid.NewGuid();
        var original = new ObjectLocation("s3", "quikapp-files", $"workspaces/{workspace}/files/{fileId}.png");
        ObjectLocation[] mine =
        [
            original,
            storage.DerivativeLocation(workspace, fileId, "webp") with { Key = $"thumbs/{workspace}/{fileId}.thumbnail.webp" },
            storage.DerivativeLocation(workspace, fileId, "webp") with { Key = $"thumbs/{workspace}/{fileId}.preview.webp" },
        ];
        ObjectLocation[] theirs =
        [
            new("s3", "quikapp-files", $"workspaces/{workspace}/files/{otherFile}.png"),
            new("s3", "quikapp-derivatives", $"thumbs/{workspace}/{otherFile}.thumbnail.webp"),
        ];
        foreach (var location in mine.Concat(theirs))
        {
            using var content = new MemoryStream([1, 2, 3]);
            await s3.PutAsync(location, content, "image/webp", ct);
        }

        var document = FileCleanupPlanTests.FileDocument(
            storage: $"{{ provider: 's3', bucket: 'quikapp-files', key: '{original.Key}' }}",
            fileId: fileId);
        document["workspaceId"] = new BsonBinaryData(workspace, GuidRepresentation.Standard);
        var plan = FileCleanupPlan.For(document, DerivativeKeys.From(storage.Options, new HousekeepingOptions()));
        var deleter = new FileObjectDeleter(storage);

        var outcome = await deleter.DeleteAsync(plan, ct);
        var again = await deleter.DeleteAsync(plan, ct);

        Assert.Equal((3, 1), (outcome.Deleted, outcome.Absent));
        Assert.Equal((0, 4), (again.Deleted, again.Absent));
        foreach (var location in mine)
        {
            Assert.Null(await s3.StatAsync(location, ct));
        }

        foreach (var location in theirs)
        {
            Assert.NotNull(await s3.StatAsync(location, ct));
        }
    }
}
