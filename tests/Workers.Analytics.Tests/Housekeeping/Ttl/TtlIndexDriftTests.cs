using MongoDB.Bson;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Analytics.Housekeeping.Ttl;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Ttl;

/// <summary>ttl-indexes' decisions from listIndexes output (documents shaped as the server returns them) and its collMod.</summary>
public sealed class TtlIndexDriftTests
{
    private static readonly MongoIndexDefinition FilesTtl = TtlIndexDrift.Targets(new HousekeepingOptions()).Single(index => index.Collection == "files");
    private static readonly BsonDocument IdIndex = BsonDocument.Parse("{ v: 2, key: { _id: 1 }, name: '_id_' }");

    [Fact]
    public void Targets_Defaults_AreTheSeedsTwoTtlIndexes()
    {
        var targets = TtlIndexDrift.Targets(new HousekeepingOptions());

        Assert.Equal(
            ["QuikApp_files.files expiresAt_1 604800", "QuikApp_files.temp_uploads createdAt_1 86400"],
            targets.Select(index => $"{new MongoOptions().DatabaseName(index.Database)}.{index.Collection} {index.Name} {index.ExpireAfterSeconds}"));
    }

    [Fact]
    public void Targets_ConfiguredExpiries_ReplaceTheSeeds()
    {
        var targets = TtlIndexDrift.Targets(new HousekeepingOptions { FilesExpireAfterSeconds = 60, TempUploadsExpireAfterSeconds = 3600 });

        Assert.Equal([60, 3600], targets.Select(index => index.ExpireAfterSeconds!.Value));
    }

    [Fact]
    public void Inspect_NoIndexOnTheField_IsMissing()
    {
        var inspection = TtlIndexDrift.Inspect(FilesTtl, [IdIndex, BsonDocument.Parse("{ v: 2, key: { fileId: 1 }, name: 'fileId_1', unique: true }")]);

        Assert.Equal(TtlIndexFinding.Missing, inspection.Finding);
        Assert.Null(inspection.ExistingName);
    }

    [Theory]
    [InlineData("604800")]
    [InlineData("NumberLong(604800)")]
    [InlineData("604800.0")]
    public void Inspect_SameExpiryInAnyNumericType_Matches(string stored)
    {
        var inspection = TtlIndexDrift.Inspect(FilesTtl, [IdIndex, BsonDocument.Parse($"{{ v: 2, key: {{ expiresAt: 1 }}, name: 'expiresAt_1', expireAfterSeconds: {stored} }}")]);

        Assert.Equal(TtlIndexFinding.Matches, inspection.Finding);
        Assert.Equal("expiresAt_1", inspection.ExistingName);
    }

    [Fact]
    public void Inspect_OtherExpiry_DiffersAndNamesBothValues()
    {
        var inspection = TtlIndexDrift.Inspect(FilesTtl, [IdIndex, BsonDocument.Parse("{ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 3600 }")]);

        Assert.Equal(TtlIndexFinding.ExpiryDiffers, inspection.Finding);
        Assert.Equal("expiresAt_1", inspection.ExistingName);
        Assert.Contains("3600 s instead of 604800 s", inspection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_SeedsExpiryAtTheDate_DiffersAndIsSetToTheBackstopWithCollMod()
    {
        // The seed's db.files.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }): the monitor would race expired-files.
        var inspection = TtlIndexDrift.Inspect(FilesTtl, [IdIndex, BsonDocument.Parse("{ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 0 }")]);

        Assert.Equal(TtlIndexFinding.ExpiryDiffers, inspection.Finding);
        Assert.Equal(
            BsonDocument.Parse("{ collMod: 'files', index: { name: 'expiresAt_1', expireAfterSeconds: 604800 } }"),
            TtlIndexDrift.CollModCommand("files", inspection.ExistingName!, inspection.DeclaredSeconds, null));
    }

    [Fact]
    public void Inspect_PlainIndexOnTheField_IsNotTtl_AndKeepsItsOwnName()
    {
        var inspection = TtlIndexDrift.Inspect(FilesTtl, [IdIndex, BsonDocument.Parse("{ v: 2, key: { expiresAt: -1 }, name: 'expiry_desc' }")]);

        Assert.Equal(TtlIndexFinding.NotTtl, inspection.Finding);
        Assert.Equal("expiry_desc", inspection.ExistingName);
    }

    [Fact]
    public void Inspect_PartialIndexOnTheField_IsAConflictLeftAlone()
    {
        var inspection = TtlIndexDrift.Inspect(FilesTtl,
            [IdIndex, BsonDocument.Parse("{ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 0, partialFilterExpression: { deleted: true } }")]);

        Assert.Equal(TtlIndexFinding.Conflict, inspection.Finding);
        Assert.Contains("partial", inspection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_DeclaredNameTakenByOtherKeys_IsAConflict()
    {
        var inspection = TtlIndexDrift.Inspect(FilesTtl, [IdIndex, BsonDocument.Parse("{ v: 2, key: { expiresAt: 1, fileId: 1 }, name: 'expiresAt_1' }")]);

        Assert.Equal(TtlIndexFinding.Conflict, inspection.Finding);
        Assert.Contains("other keys", inspection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_TwoIndexesOnTheField_PrefersTheDeclaredName()
    {
        var inspection = TtlIndexDrift.Inspect(FilesTtl,
        [
            IdIndex,
            BsonDocument.Parse("{ v: 2, key: { expiresAt: -1 }, name: 'expiry_desc' }"),
            BsonDocument.Parse("{ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 10 }"),
        ]);

        Assert.Equal(TtlIndexFinding.ExpiryDiffers, inspection.Finding);
        Assert.Equal("expiresAt_1", inspection.ExistingName);
    }

    [Fact]
    public void Inspect_CompoundIndexStartingWithTheField_IsNotTheTtlIndex()
    {
        var inspection = TtlIndexDrift.Inspect(FilesTtl, [IdIndex, BsonDocument.Parse("{ v: 2, key: { expiresAt: 1, workspaceId: 1 }, name: 'exp_ws' }")]);

        Assert.Equal(TtlIndexFinding.Missing, inspection.Finding);
    }

    [Fact]
    public void CollModCommand_NamesTheIndexAndTheNewExpiry_WithTheClientsWriteConcern()
    {
        var command = TtlIndexDrift.CollModCommand("temp_uploads", "createdAt_1", 86_400, BsonDocument.Parse("{ w: 'majority', j: true }"));

        Assert.Equal(
            BsonDocument.Parse("{ collMod: 'temp_uploads', index: { name: 'createdAt_1', expireAfterSeconds: 86400 }, writeConcern: { w: 'majority', j: true } }"),
            command);
    }

    [Fact]
    public void CollModCommand_ServerDefaultWriteConcern_SendsNone()
    {
        Assert.Equal(
            BsonDocument.Parse("{ collMod: 'files', index: { name: 'expiresAt_1', expireAfterSeconds: 0 } }"),
            TtlIndexDrift.CollModCommand("files", "expiresAt_1", 0, null));
    }

    [Theory]
    [InlineData("{ expireAfterSeconds_old: 3600, expireAfterSeconds_new: 0, ok: 1 }", 0, true)]
    [InlineData("{ ok: 1 }", 0, true)]
    [InlineData("{ expireAfterSeconds_old: 3600, expireAfterSeconds_new: 60, ok: 1 }", 0, false)]
    [InlineData("{ ok: 0 }", 0, false)]
    public void ReplyConfirms_ReadsTheNewExpiry(string reply, int expected, bool confirms)
    {
        Assert.Equal(confirms, TtlIndexDrift.ReplyConfirms(BsonDocument.Parse(reply), expected));
    }
}
