using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// Writes training-set snapshots to <c>QuikApp_ml</c>: examples to <c>training_examples</c> (one document per message,
/// <c>_id: "&lt;setId&gt;:&lt;messageId&gt;"</c>) and then the set's record to <c>training_sets</c>.
/// </summary>
/// <remarks>
/// The record is written last, so a set whose record exists has all its examples; a run that crashed half-way is
/// finished by its rerun, which reuses the set id. Examples a rerun no longer selects (a message deleted meanwhile)
/// are removed from the set.
/// </remarks>
public sealed class MongoTrainingSetStore(MongoCatalog catalog) : ITrainingSetStore
{
    internal const int BatchSize = 1000;

    public async Task SaveAsync(TrainingSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var setId = snapshot.Record.Id;
        foreach (var batch in snapshot.Examples.Chunk(BatchSize))
        {
            var writes = batch.Select(example => new ReplaceOneModel<BsonDocument>(
                new BsonDocument("_id", example.Id), ExampleDocument(example)) { IsUpsert = true });
            await catalog.TrainingExamples.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, cancellationToken)
                .ConfigureAwait(false);
        }

        var wanted = snapshot.Examples.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var stored = await catalog.TrainingExamples
            .Find(new BsonDocument("setId", setId))
            .Project(Builders<BsonDocument>.Projection.Include("_id"))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var stale in stored.Select(d => d["_id"].AsString).Where(id => !wanted.Contains(id)).Chunk(BatchSize))
        {
            await catalog.TrainingExamples.DeleteManyAsync(new BsonDocument("_id", new BsonDocument("$in", new BsonArray(stale))), cancellationToken)
                .ConfigureAwait(false);
        }

        var (filter, update) = RecordUpsert(snapshot);
        await catalog.TrainingSets.UpdateOneAsync(filter, update, new UpdateOptions { IsUpsert = true }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PruneExamplesAsync(int keepNewest, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepNewest);
        var sets = await catalog.TrainingSets
            .Find(new BsonDocument("kind", TrainingSetRecord.Kind))
            .Sort(new BsonDocument { { "source.reportsResolvedBefore", -1 }, { "_id", -1 } })
            .Project(Builders<BsonDocument>.Projection.Include("_id").Include("examplesPrunedAt"))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var pruned = 0;
        foreach (var set in sets.Skip(keepNewest).Where(s => !s.Contains("examplesPrunedAt")))
        {
            var setId = set["_id"].AsString;
            await catalog.TrainingExamples.DeleteManyAsync(new BsonDocument("setId", setId), cancellationToken).ConfigureAwait(false);
            await catalog.TrainingSets.UpdateOneAsync(new BsonDocument("_id", setId),
                new BsonDocument("$set", new BsonDocument("examplesPrunedAt", at.UtcDateTime)), cancellationToken: cancellationToken).ConfigureAwait(false);
            pruned++;
        }

        return pruned;
    }

    internal static BsonDocument ExampleDocument(TrainingExample example) => new()
    {
        { "_id", example.Id },
        { "setId", example.SetId },
        { "messageId", example.MessageId },
        { "text", example.Text },
        { "spam", example.Spam is { } spam ? spam : BsonNull.Value },
        { "toxic", example.Toxic is { } toxic ? toxic : BsonNull.Value },
    };

    /// <summary>The record's upsert: <c>createdAt</c> keeps the first run's time, everything else is the latest run's.</summary>
    internal static (BsonDocument Filter, BsonDocument Update) RecordUpsert(TrainingSetSnapshot snapshot)
    {
        var record = snapshot.Record;
        var excluded = snapshot.Excluded;
        var set = new BsonDocument
        {
            { "kind", TrainingSetRecord.Kind },
            { "source", new BsonDocument("reportsResolvedBefore", record.ReportsResolvedBefore.UtcDateTime) },
            {
                "counts", new BsonDocument
                {
                    { "messages", record.Counts.Messages },
                    { "spam", new BsonDocument { { "positive", record.Counts.Spam.Positive }, { "negative", record.Counts.Spam.Negative } } },
                    { "toxicity", new BsonDocument { { "positive", record.Counts.Toxicity.Positive }, { "negative", record.Counts.Toxicity.Negative } } },
                }
            },
            {
                "excluded", new BsonDocument
                {
                    { "missingMessages", excluded.MissingMessages },
                    { "deletedMessages", excluded.DeletedMessages },
                    { "emptyMessages", excluded.EmptyMessages },
                    { "labelsEditedSince", excluded.LabelsEditedSince },
                }
            },
        };
        var update = new BsonDocument
        {
            { "$set", set },
            { "$setOnInsert", new BsonDocument("createdAt", record.CreatedAt.UtcDateTime) },
            // A rerun of a pruned set has just rewritten its examples.
            { "$unset", new BsonDocument("examplesPrunedAt", "") },
        };
        return (new BsonDocument("_id", record.Id), update);
    }
}
