using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>The learning stores' commands as rendered (run here; their behaviour on MongoDB is in the specifications).</summary>
public sealed class MongoLearningCommandsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 3, 5, 0, TimeSpan.Zero);

    private static BsonValue Render(UpdateDefinition<BsonDocument> update) =>
        update.Render(new RenderArgs<BsonDocument>(BsonSerializer.LookupSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry));

    /// <summary>
    /// Defect 5: the promotion decides the kept time in the write itself (a pipeline), so no read-back is needed; a stored
    /// promotedAt is kept only when it is a date on a promoted model.
    /// </summary>
    [Fact]
    public void PromoteUpdate_KeepsOnlyADatePromotedAtOfAPromotedModel()
    {
        var stages = Render(MongoModelRegistry.PromoteUpdate(T0)).AsBsonArray;
        var set = stages[0].AsBsonDocument["$set"].AsBsonDocument;

        var keep = BsonDocument.Parse("""{ $and: [ { $eq: ["$status", "promoted"] }, { $eq: [ { $type: "$promotedAt" }, "date" ] } ] }""");
        Assert.Equal(new BsonArray { keep, "$promotedAt", new BsonDocument("$literal", T0.UtcDateTime) }, set["promotedAt"]["$cond"]);
        Assert.Equal(new BsonDocument("$unset", "retiredAt"), stages[1]);
        Assert.Equal(new BsonDocument("$literal", "promoted"), set["status"]);
    }

    /// <summary>
    /// Defect 3: on 7e088d6 the upload deleted <c>{ files_id: id }</c>, every chunk of the id, including those of a file
    /// another uploader was completing. Now only chunks past this zip's count can be deleted.
    /// </summary>
    [Fact]
    public void OrphanChunksFilter_OnlyChunksNumberedPastTheZipsCount()
    {
        Assert.Equal(BsonDocument.Parse("""{ files_id: "spam-3f1c0a9be2d4", n: { $gte: 3 } }"""), GridFsModelFileStore.OrphanChunksFilter("spam-3f1c0a9be2d4", 3));
    }

    [Fact]
    public void ChunkUpserts_SplitTheZipIntoGridFsChunksKeyedByFilesIdAndN()
    {
        var zip = new byte[(GridFsModelFileStore.ChunkSizeBytes * 2) + 5];
        new Random(7).NextBytes(zip);

        var upserts = GridFsModelFileStore.ChunkUpserts("spam-3f1c0a9be2d4", zip).ToList();

        Assert.Equal(3, GridFsModelFileStore.ChunkCount(zip.Length));
        Assert.Equal(3, upserts.Count);
        Assert.All(upserts, u => Assert.True(u.IsUpsert));
        Assert.Equal(zip, upserts.SelectMany(u => u.Replacement["data"].AsByteArray).ToArray());
        Assert.Equal([0, 1, 2], upserts.Select(u => u.Replacement["n"].AsInt32));
        Assert.Equal(5, upserts[2].Replacement["data"].AsByteArray.Length);
        Assert.Equal(0, GridFsModelFileStore.ChunkCount(0));
    }

    [Fact]
    public void FileDocument_IsWhatGridFsWritesPlusTheHash()
    {
        var zip = new byte[] { 1, 2, 3 };

        var file = GridFsModelFileStore.FileDocument("spam-3f1c0a9be2d4", zip, T0.UtcDateTime);

        Assert.Equal(
            new BsonDocument
            {
                { "_id", "spam-3f1c0a9be2d4" }, { "length", 3L }, { "chunkSize", 255 * 1024 }, { "uploadDate", T0.UtcDateTime },
                { "filename", "spam-3f1c0a9be2d4.zip" }, { "metadata", new BsonDocument("sha256", ModelRecords.Sha256Of(zip)) },
            },
            file);
    }
}
