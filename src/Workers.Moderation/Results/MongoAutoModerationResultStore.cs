using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Results;

/// <summary>
/// <c>QuikApp_moderation.auto_mod_results</c>, one document per message (unique index on <c>messageId</c>), shaped as
/// the seed (<c>contentHash</c>, <c>checks.{profanity,spam,toxicity}.{score,flagged}</c>, <c>overallScore</c>,
/// <c>action</c>, <c>processedAt</c>) plus what a moderator needs: each check's <c>signals</c>, the <c>models</c> and
/// <c>policyVersion</c> that judged it, the judged <c>content</c> version, and <c>deleted</c>/<c>deletedAt</c>.
/// </summary>
/// <remarks>
/// Each result is an upsert whose filter matches only a stored result that is older, or the same version (so a
/// redelivery re-applies identical values), in <see cref="ContentVersionOrder"/>: milliseconds, then event id. When a newer result is stored the filter does not match, the upsert tries
/// to insert, and the unique index refuses it (E11000): that is how "older never overwrites newer" is enforced
/// without a read. Two first results racing for a new message also meet E11000; those are retried once, by when the
/// document exists and the filter decides. The update is a pipeline so that <c>processedAt</c> keeps its first value
/// on a redelivery ($cond on the stored eventId).
/// </remarks>
public sealed class MongoAutoModerationResultStore(MongoCatalog catalog) : IAutoModerationResultStore
{
    private const int DuplicateKey = 11000;

    public async Task<IReadOnlyList<bool>> UpsertAsync(IReadOnlyList<AutoModerationResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var applied = new bool[results.Count];
        if (results.Count == 0)
        {
            return applied;
        }

        var pending = Enumerable.Range(0, results.Count).ToList();
        for (var pass = 0; pass < 2 && pending.Count > 0; pass++)
        {
            var models = pending.Select(i => UpsertModel(results[i])).ToList();
            var refused = await WriteAsync(models, cancellationToken).ConfigureAwait(false);
            foreach (var (index, position) in pending.Select((index, position) => (index, position)))
            {
                applied[index] = !refused.Contains(position);
            }

            pending = [.. refused.Select(position => pending[position])];
        }

        return applied;
    }

    public async Task MarkDeletedAsync(IReadOnlyList<MessageDeletion> deletions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletions);
        var pending = deletions.ToList();
        for (var pass = 0; pass < 2 && pending.Count > 0; pass++)
        {
            var models = pending.Select(DeletionModel).ToList();
            var refused = await WriteAsync(models, cancellationToken).ConfigureAwait(false);
            pending = [.. refused.Select(position => pending[position])];
        }
    }

    /// <summary>Renders one result's upsert (exposed for tests that compare it with the intended documents).</summary>
    internal static UpdateOneModel<BsonDocument> UpsertModel(AutoModerationResult result)
    {
        var version = result.Content;
        // Explicitly the BSON date the server stores (milliseconds), so the filter compares what is stored.
        var at = new BsonDateTime(ContentVersionOrder.Milliseconds(version.At));
        var filter = new BsonDocument
        {
            { "messageId", result.MessageId },
            {
                "$or", new BsonArray
                {
                    new BsonDocument("content.at", new BsonDocument("$lt", at)),
                    // Same millisecond: the event id decides (ContentVersionOrder); equal is a redelivery, re-applied.
                    new BsonDocument { { "content.at", at }, { "content.eventId", new BsonDocument("$lte", Uuid(version.EventId)) } },
                    new BsonDocument("content", new BsonDocument("$exists", false)),
                }
            },
        };

        var verdict = result.Scored.Verdict;
        var values = new BsonDocument
        {
            { "messageId", result.MessageId },
            { "channelId", Uuid(result.ChannelId) },
            { "workspaceId", Uuid(result.WorkspaceId) },
            { "userId", Uuid(result.UserId) },
            { "contentHash", result.Scored.ContentHash },
            {
                "checks", new BsonDocument
                {
                    { "profanity", Check(verdict.Profanity) },
                    { "spam", Check(verdict.Spam) },
                    { "toxicity", Check(verdict.Toxicity) },
                }
            },
            { "overallScore", verdict.OverallScore },
            { "action", verdict.Action.ToWire() },
            {
                "models", new BsonDocument
                {
                    { "spam", result.Scored.Models.Spam },
                    { "toxicity", result.Scored.Models.Toxicity },
                    { "lexicons", result.Scored.Models.Lexicons },
                }
            },
            { "policyVersion", verdict.PolicyVersion },
            {
                "content", new BsonDocument
                {
                    { "version", version.Kind == ContentKind.Sent ? "sent" : "edited" },
                    { "at", at },
                    { "eventId", Uuid(version.EventId) },
                }
            },
        };

        var set = new BsonDocument(values.Select(e => new BsonElement(e.Name, new BsonDocument("$literal", e.Value))));
        // A redelivery of the stored version keeps the first processedAt; anything newer stamps this processing.
        set.Add("processedAt", new BsonDocument("$cond", new BsonArray
        {
            new BsonDocument("$eq", new BsonArray { "$content.eventId", Uuid(version.EventId) }),
            "$processedAt",
            new BsonDocument("$literal", result.ProcessedAt.UtcDateTime),
        }));
        var pipeline = new BsonDocumentStagePipelineDefinition<BsonDocument, BsonDocument>([new BsonDocument("$set", set)]);
        return new UpdateOneModel<BsonDocument>(filter, Builders<BsonDocument>.Update.Pipeline(pipeline)) { IsUpsert = true };
    }

    internal static UpdateOneModel<BsonDocument> DeletionModel(MessageDeletion deletion)
    {
        var update = new BsonDocument
        {
            {
                "$set", new BsonDocument
                {
                    { "deleted", true },
                    { "deletedAt", deletion.DeletedAt.UtcDateTime },
                    { "deletedBy", Uuid(deletion.DeletedBy) },
                }
            },
            {
                "$setOnInsert", new BsonDocument
                {
                    { "channelId", Uuid(deletion.ChannelId) },
                    { "workspaceId", Uuid(deletion.WorkspaceId) },
                }
            },
        };
        return new UpdateOneModel<BsonDocument>(new BsonDocument("messageId", deletion.MessageId), update) { IsUpsert = true };
    }

    /// <summary>Runs an unordered bulk write; returns the positions refused with a duplicate key, throws on anything else.</summary>
    private async Task<HashSet<int>> WriteAsync(List<UpdateOneModel<BsonDocument>> models, CancellationToken cancellationToken)
    {
        try
        {
            await catalog.AutoModResults.BulkWriteAsync(models, new BulkWriteOptions { IsOrdered = false }, cancellationToken)
                .ConfigureAwait(false);
            return [];
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteConcernError is null && ex.WriteErrors.All(e => e.Code == DuplicateKey))
        {
            return [.. ex.WriteErrors.Select(e => e.Index)];
        }
    }

    private static BsonDocument Check(CheckVerdict check) => new()
    {
        { "score", check.Score },
        { "flagged", check.Flagged },
        { "signals", new BsonArray(check.Signals) },
    };

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);
}
