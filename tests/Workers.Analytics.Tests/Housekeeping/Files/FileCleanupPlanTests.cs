using MongoDB.Bson;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Analytics.Housekeeping.Files;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Files;

/// <summary>Which objects a file's deletion covers: derivative key enumeration and the document's own list, never trusted blindly.</summary>
public sealed class FileCleanupPlanTests
{
    internal static readonly Guid WorkspaceId = Guid.Parse("0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a");
    internal static readonly Guid FileId = Guid.Parse("5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");

    internal static ObjectStorageOptions Storage() => new()
    {
        Derivatives = new StorageTarget { Provider = "s3", Bucket = "quikapp-derivatives", Prefix = "thumbs" },
    };

    [Fact]
    public void DerivativeKeys_Defaults_SingleFormThenOnePerThumbnailSize()
    {
        var keys = DerivativeKeys.From(Storage(), new HousekeepingOptions());

        Assert.Equal(
            [
                $"s3://quikapp-derivatives/thumbs/{WorkspaceId}/{FileId}.webp",
                $"s3://quikapp-derivatives/thumbs/{WorkspaceId}/{FileId}.thumbnail.webp",
                $"s3://quikapp-derivatives/thumbs/{WorkspaceId}/{FileId}.preview.webp",
            ],
            keys.For(WorkspaceId, FileId).Select(location => location.ToString()));
    }

    [Fact]
    public void DerivativeKeys_ConfiguredSizesAndFormats_EveryCombination()
    {
        var options = new HousekeepingOptions();
        options.DerivativeVariants.Add("small");
        options.DerivativeExtensions.Add("png");
        options.DerivativeExtensions.Add(".JPEG");

        var keys = DerivativeKeys.From(Storage(), options).For(WorkspaceId, FileId);

        Assert.Equal(
            [$"{FileId}.png", $"{FileId}.small.png", $"{FileId}.jpeg", $"{FileId}.small.jpeg"],
            keys.Select(location => location.Key[(location.Key.LastIndexOf('/') + 1)..]));
    }

    [Theory]
    [InlineData("s3", "quikapp-derivatives", "thumbs/{ws}/{file}.thumbnail.webp", true)]
    [InlineData("S3", "quikapp-derivatives", "thumbs/{ws}/{file}.huge.avif", true)]
    [InlineData("s3", "quikapp-files", "thumbs/{ws}/{file}.thumbnail.webp", false)]
    [InlineData("local", "quikapp-derivatives", "thumbs/{ws}/{file}.thumbnail.webp", false)]
    [InlineData("s3", "quikapp-derivatives", "thumbs/{ws}/{file}./../other.webp", false)]
    [InlineData("s3", "quikapp-derivatives", "thumbs/{ws}/{other}.thumbnail.webp", false)]
    [InlineData("s3", "quikapp-derivatives", "thumbs/{ws}/{file}.", false)]
    public void IsDerivativeOf_OnlyKeysUnderTheFilesOwnStem(string provider, string bucket, string key, bool ours)
    {
        var keys = DerivativeKeys.From(Storage(), new HousekeepingOptions());
        var location = new ObjectLocation(provider, bucket, key.Replace("{ws}", WorkspaceId.ToString(), StringComparison.Ordinal)
            .Replace("{file}", FileId.ToString(), StringComparison.Ordinal)
            .Replace("{other}", Guid.NewGuid().ToString(), StringComparison.Ordinal));

        Assert.Equal(ours, keys.IsDerivativeOf(location, WorkspaceId, FileId));
    }

    [Fact]
    public void Plan_SeedDocumentWithWorkerDerivatives_OriginalComputedAndListedDerivativesWithoutDuplicates()
    {
        var file = FileDocument(derivatives: $$"""
            [ { size: 'thumbnail', provider: 's3', bucket: 'quikapp-derivatives', key: 'thumbs/{{WorkspaceId}}/{{FileId}}.thumbnail.webp', width: 360, height: 240 },
              { size: 'legacy', provider: 's3', bucket: 'quikapp-derivatives', key: 'thumbs/{{WorkspaceId}}/{{FileId}}.legacy.jpg', width: 100, height: 80 },
              { size: 'evil', provider: 's3', bucket: 'quikapp-files', key: 'workspaces/other/files/secret.pdf' } ]
            """);

        var plan = FileCleanupPlan.For(file, DerivativeKeys.From(Storage(), new HousekeepingOptions()));

        Assert.Equal(FileId, plan.FileId);
        Assert.Equal(new ObjectLocation("s3", "quikapp-files", "workspaces/ws/files/f.pdf"), plan.Original);
        Assert.Equal(
            [
                $"thumbs/{WorkspaceId}/{FileId}.webp",
                $"thumbs/{WorkspaceId}/{FileId}.thumbnail.webp",
                $"thumbs/{WorkspaceId}/{FileId}.preview.webp",
                $"thumbs/{WorkspaceId}/{FileId}.legacy.jpg",
            ],
            plan.Derivatives.Select(location => location.Key));
        Assert.Equal("s3://quikapp-files/workspaces/other/files/secret.pdf", Assert.Single(plan.Ignored).ToString());
    }

    [Fact]
    public void Plan_NoIdsNoStorage_NothingButTheDocument()
    {
        var plan = FileCleanupPlan.For(BsonDocument.Parse("{ _id: 7, processing: { derivatives: [ { provider: 's3', bucket: 'quikapp-derivatives', key: 'thumbs/x/y.webp' } ] } }"),
            DerivativeKeys.From(Storage(), new HousekeepingOptions()));

        Assert.Equal(new BsonInt32(7), plan.Id);
        Assert.Null(plan.Original);
        Assert.Empty(plan.Derivatives);
        Assert.Single(plan.Ignored);
    }

    [Fact]
    public void Plan_GridFsOriginal_IsDeletedThroughTheGridFsProvider()
    {
        var file = FileDocument(storage: "{ provider: 'gridfs', bucket: 'fs', key: '65a4f0000000000000000009' }");

        var plan = FileCleanupPlan.For(file, DerivativeKeys.From(Storage(), new HousekeepingOptions()));

        Assert.Equal(new ObjectLocation("gridfs", "fs", "65a4f0000000000000000009"), plan.Original);
    }

    [Fact]
    public void GuidOf_StandardLegacyAndStringForms()
    {
        Assert.Equal(FileId, FileCleanupPlan.GuidOf(new BsonBinaryData(FileId, GuidRepresentation.Standard)));
        Assert.Equal(FileId, FileCleanupPlan.GuidOf(new BsonBinaryData(FileId, GuidRepresentation.CSharpLegacy)));
        Assert.Equal(FileId, FileCleanupPlan.GuidOf(FileId.ToString()));
        Assert.Null(FileCleanupPlan.GuidOf(BsonNull.Value));
        Assert.Null(FileCleanupPlan.GuidOf("not a guid"));
    }

    /// <summary>A QuikApp_files.files document as the seed shapes it (UUIDs as subtype 4), with the files worker's processing.</summary>
    internal static BsonDocument FileDocument(
        string storage = "{ provider: 's3', bucket: 'quikapp-files', key: 'workspaces/ws/files/f.pdf', region: 'us-east-1' }",
        string derivatives = "[]",
        Guid? fileId = null) =>
        BsonDocument.Parse($$"""
            { _id: ObjectId('65a4f00000000000000000aa'),
              fileId: UUID('{{fileId ?? FileId}}'), workspaceId: UUID('{{WorkspaceId}}'),
              filename: 'f.pdf', storage: {{storage}},
              processing: { status: 'done', derivatives: {{derivatives}} },
              deleted: false, deletedAt: null, createdAt: ISODate('2026-11-01T00:00:00Z'), expiresAt: ISODate('2026-11-25T10:00:00Z') }
            """);
}
