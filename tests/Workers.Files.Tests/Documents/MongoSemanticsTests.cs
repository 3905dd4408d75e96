using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;

namespace QuikApp.Workers.Files.Tests.Documents;

/// <summary>
/// The MongoDB behaviour the doubles share (<see cref="MongoSemantics"/>), checked against what the manual says the
/// server does, so the double refuses what MongoDB refuses.
/// </summary>
public sealed class MongoSemanticsTests
{
    private static readonly DateTimeOffset T0 = FileDocumentSamples.T0;

    [Fact]
    public void Millis_SubMillisecondTicks_AreDropped_AsABsonDateStoresThem()
    {
        var time = T0.AddTicks(9_999);

        Assert.Equal(T0, MongoSemantics.Millis(time));
        Assert.Equal(new BsonDateTime(time.UtcDateTime).ToUniversalTime(), MongoSemantics.Millis(time).UtcDateTime);
    }

    [Fact]
    public void QueryEquals_AcrossTypeBrackets_NeverMatches_NumbersCompareNumerically()
    {
        var id = ObjectId.GenerateNewId();

        Assert.False(MongoSemantics.QueryEquals(new BsonString(id.ToString()), id));
        Assert.True(MongoSemantics.QueryEquals(new BsonInt32(3), new BsonInt64(3)));
        Assert.True(MongoSemantics.QueryEquals(new BsonDouble(3.0), new BsonInt32(3)));
        Assert.True(MongoSemantics.QueryEquals(null, BsonNull.Value));
        Assert.False(MongoSemantics.QueryEquals(BsonBoolean.False, BsonNull.Value));
        var guid = Guid.NewGuid();
        Assert.False(MongoSemantics.QueryIn(new BsonString(guid.ToString()), [new BsonBinaryData(guid, GuidRepresentation.Standard)]));
    }

    [Fact]
    public void QueryCompare_AcrossTypeBrackets_MatchesNoRange()
    {
        Assert.Null(MongoSemantics.QueryCompare(BsonNull.Value, new BsonDateTime(T0.UtcDateTime)));
        Assert.Null(MongoSemantics.QueryCompare(null, new BsonDateTime(T0.UtcDateTime)));
        Assert.Null(MongoSemantics.QueryCompare(new BsonInt32(1), new BsonString("1")));
        Assert.True(MongoSemantics.QueryCompare(new BsonDateTime(T0.UtcDateTime), new BsonDateTime(T0.AddMilliseconds(1).UtcDateTime)) < 0);
    }

    [Fact]
    public void DuplicateKey_IsTheDriversWriteException_WithCode11000()
    {
        var error = MongoSemantics.DuplicateKey("QuikApp_files.files", "fileId_1", "fileId: 1");

        Assert.Equal((11000, ServerErrorCategory.DuplicateKey), (error.WriteError.Code, error.WriteError.Category));
    }

    [Theory]
    [InlineData("{ urls: null }", "{ $set: { 'urls.thumbnail': 'x' } }")]
    [InlineData("{ processing: null }", "{ $set: { 'processing.status': 'done' } }")]
    [InlineData("{ urls: 'a string' }", "{ $set: { 'urls.thumbnail': null } }")]
    public void Apply_DottedSetThroughANonDocument_FailsWithPathNotViable_AndChangesNothing(string document, string update)
    {
        var raw = BsonDocument.Parse(document);
        var before = raw.DeepClone();

        var error = Assert.Throws<MongoWriteException>(() => MongoSemantics.DocumentCommands.Apply(raw, BsonDocument.Parse(update)));

        Assert.Equal(28, error.WriteError.Code);
        Assert.Equal(before, raw);
    }

    [Fact]
    public void Apply_DottedSetAndUnset_CreateMissingParents_AndUnsetThroughNullIsANoOp()
    {
        var raw = BsonDocument.Parse("{ a: null }");

        MongoSemantics.DocumentCommands.Apply(raw, BsonDocument.Parse("{ $set: { 'b.c': 1 }, $unset: { 'a.x': '' } }"));

        Assert.Equal(BsonDocument.Parse("{ a: null, b: { c: 1 } }"), raw);
    }

    [Fact]
    public void TheOldOutcomeUpdate_OnTheSeedsUrlsNull_FailsInTheDouble_WhereTheNewPipelineSucceeds()
    {
        // The update the store sent at 7e088d6, reduced to its dotted $set: the double refuses it as MongoDB does (error 28),
        // so the behaviour specification would have caught defect 8.
        var fileId = Guid.NewGuid();
        var raw = FileDocumentSamples.Seed(fileId, T0);
        raw["urls"] = BsonNull.Value;
        var old = new BsonDocument("$set", new BsonDocument { { "urls.thumbnail", "https://cdn.quikapp.dev/t.webp" }, { "processing.status", "done" } });

        var error = Assert.Throws<MongoWriteException>(() => MongoSemantics.DocumentCommands.Apply(raw, old));
        var (_, pipeline) = MongoFileDocumentStore.OutcomeCommand(FileDocumentSamples.Record(fileId, ProcessingStatus.Done));
        MongoSemantics.DocumentCommands.Apply(raw, new BsonArray(pipeline));

        Assert.Equal(28, error.WriteError.Code);
        Assert.Equal($"https://cdn.quikapp.dev/thumbs/{FileDocumentSamples.Workspace}/{fileId}.thumbnail.webp", raw["urls"]["thumbnail"].AsString);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("null")]
    [InlineData("string")]
    [InlineData("document")]
    public void OutcomePipeline_WhateverUrlsHolds_SetsTheThumbnail_AndKeepsTheOtherUrls(string urls)
    {
        var fileId = Guid.NewGuid();
        var raw = FileDocumentSamples.Seed(fileId, T0);
        switch (urls)
        {
            case "missing":
                raw.Remove("urls");
                break;
            case "null":
                raw["urls"] = BsonNull.Value;
                break;
            case "string":
                raw["urls"] = "https://cdn.quikapp.dev/files/x";
                break;
        }

        var (filter, pipeline) = MongoFileDocumentStore.OutcomeCommand(FileDocumentSamples.Record(fileId, ProcessingStatus.Done));
        Assert.True(MongoSemantics.DocumentCommands.Matches(raw, filter));
        MongoSemantics.DocumentCommands.Apply(raw, new BsonArray(pipeline));

        Assert.Equal($"https://cdn.quikapp.dev/thumbs/{FileDocumentSamples.Workspace}/{fileId}.thumbnail.webp", raw["urls"]["thumbnail"].AsString);
        Assert.Equal(urls == "document", raw["urls"].AsBsonDocument.Contains("original"));
    }

    [Fact]
    public void InMemoryStore_SeedRaw_ASecondDocumentWithTheSameFileId_IsADuplicateKey()
    {
        var store = new InMemoryFileDocumentStore();
        var fileId = Guid.NewGuid();
        store.SeedRaw(FileDocumentSamples.Seed(fileId, T0));

        var error = Assert.Throws<MongoWriteException>(() => store.SeedRaw(FileDocumentSamples.Seed(fileId, T0)));

        Assert.Equal(11000, error.WriteError.Code);
    }
}
