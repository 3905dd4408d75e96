using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>
/// The handles the moderation stores read through go to the primary, even on a client whose URL says
/// secondaryPreferred (the seed's client default). Runs here: building handles does no I/O.
/// </summary>
public sealed class ModerationStoreReadPreferenceTests
{
    private static readonly MongoCatalog Catalog =
        new(new MongoClient("mongodb://localhost:27017/?readPreference=secondaryPreferred"), new MongoOptions());

    /// <summary>
    /// Defects 3 and 5: on 7e088d6 these handles took the client's read preference, so the model upload's existence check
    /// (which guards a delete) and the registry's read-back after an update could go to a lagging secondary.
    /// </summary>
    [Fact]
    public void LearningHandles_OnASecondaryPreferredClient_ReadThePrimary()
    {
        Assert.Equal(ReadPreference.Primary, Catalog.ModelsBucket().Options.ReadPreference);
        foreach (var collection in new[]
        {
            Catalog.Models, Catalog.TrainingSets, Catalog.TrainingExamples, Catalog.Reports, Catalog.Messages,
            Catalog.Collection<BsonDocument>(QuikAppDatabase.Ml, "models.files"), Catalog.Collection<BsonDocument>(QuikAppDatabase.Ml, "models.chunks"),
        })
        {
            Assert.Equal(ReadPreference.Primary, collection.Settings.ReadPreference);
        }
    }

    [Fact]
    public void ResultAndPolicyHandles_OnASecondaryPreferredClient_ReadThePrimary()
    {
        Assert.Equal(ReadPreference.Primary, Catalog.AutoModResults.Settings.ReadPreference);
        Assert.Equal(ReadPreference.Primary, Catalog.Policies.Settings.ReadPreference);
    }
}
