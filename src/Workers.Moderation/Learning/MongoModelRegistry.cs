using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// The model registry in <c>QuikApp_ml.models</c>: one document per trained model, <c>{ _id: "spam-3f1c0a9be2d4", kind,
/// status, sha256, bytes, metrics, baseline: { version, metrics }, trainingSetId, gridFsId, training, decision, createdAt,
/// promotedAt, retiredAt }</c>. Workers read the newest promoted model per kind on the <c>{ kind, status, promotedAt }</c> index.
/// </summary>
public sealed class MongoModelRegistry(MongoCatalog catalog) : IModelRegistry
{
    private static readonly string Promoted = ModelStatus.Promoted.ToWire();

    public async Task<ModelRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var document = await catalog.Models.Find(new BsonDocument("_id", id)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return document is null ? null : Parse(document);
    }

    public async Task<bool> AddAsync(ModelRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var document = ToDocument(record);
        document.Remove("_id");
        // An upsert whose filter is the _id alone: the server retries the duplicate-key race of two first inserts itself.
        var result = await catalog.Models.UpdateOneAsync(
            new BsonDocument("_id", record.Id),
            new BsonDocument("$setOnInsert", document),
            new UpdateOptions { IsUpsert = true },
            cancellationToken).ConfigureAwait(false);
        return result.UpsertedId is not null;
    }

    public async Task PromoteAsync(string id, ModelKind kind, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // First the new model, then the old ones: in between, readers see two promoted models and take the newer.
        // One findOneAndUpdate returns the promotion time the retire step needs (the stored one when the model already
        // was promoted), so nothing is read back separately and a missing model is an error, not a null dereference.
        var promoted = await catalog.Models.FindOneAndUpdateAsync(
            new BsonDocument("_id", id),
            PromoteUpdate(at),
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After, Projection = new BsonDocument("promotedAt", 1) },
            cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"model {id} is not in the registry: it cannot be promoted");
        var promotedAt = Time(promoted.GetValue("promotedAt", BsonNull.Value))
            ?? throw new InvalidOperationException($"model {id} has no promotedAt date after its promotion");
        await catalog.Models.UpdateManyAsync(RetireFilter(kind, promotedAt), RetireUpdate(at), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task RejectAsync(string id, CancellationToken cancellationToken)
    {
        var filter = new BsonDocument { { "_id", id }, { "status", new BsonDocument("$ne", Promoted) } };
        await catalog.Models.UpdateOneAsync(filter, new BsonDocument("$set", new BsonDocument("status", ModelStatus.Rejected.ToWire())),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public Task<ModelRecord?> NewestPromotedAsync(ModelKind kind, CancellationToken cancellationToken) =>
        NewestAsync(kind, ModelStatus.Promoted, cancellationToken);

    public Task<ModelRecord?> NewestRetiredAsync(ModelKind kind, CancellationToken cancellationToken) =>
        NewestAsync(kind, ModelStatus.Retired, cancellationToken);

    public async Task WithdrawAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var update = new BsonDocument("$set", new BsonDocument { { "status", ModelStatus.Rejected.ToWire() }, { "withdrawnAt", at.UtcDateTime } });
        await catalog.Models.UpdateOneAsync(new BsonDocument("_id", id), update, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<ModelRecord?> NewestAsync(ModelKind kind, ModelStatus status, CancellationToken cancellationToken)
    {
        var document = await catalog.Models
            .Find(new BsonDocument { { "kind", kind.ToWire() }, { "status", status.ToWire() } })
            .Sort(new BsonDocument { { "promotedAt", -1 }, { "_id", -1 } })
            .Limit(1)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return document is null ? null : Parse(document);
    }

    /// <summary>
    /// Marks the model promoted. A model already promoted with a <c>promotedAt</c> date keeps that date (a rerun must not move
    /// it past a later promotion); anything else (not promoted yet, or promoted by hand with no date, a null or a string)
    /// gets <paramref name="at"/>. An update pipeline, so the decision is made on the stored document in the same write.
    /// </summary>
    internal static UpdateDefinition<BsonDocument> PromoteUpdate(DateTimeOffset at)
    {
        var keep = new BsonDocument("$and", new BsonArray
        {
            new BsonDocument("$eq", new BsonArray { "$status", Promoted }),
            new BsonDocument("$eq", new BsonArray { new BsonDocument("$type", "$promotedAt"), "date" }),
        });
        var set = new BsonDocument
        {
            { "promotedAt", new BsonDocument("$cond", new BsonArray { keep, "$promotedAt", new BsonDocument("$literal", at.UtcDateTime) }) },
            { "status", new BsonDocument("$literal", Promoted) },
        };
        // A promoted model is not retired: retiredAt goes in every case.
        var pipeline = new BsonDocumentStagePipelineDefinition<BsonDocument, BsonDocument>([new BsonDocument("$set", set), new BsonDocument("$unset", "retiredAt")]);
        return Builders<BsonDocument>.Update.Pipeline(pipeline);
    }

    /// <summary>Promoted before the given time: never a model someone promoted after this one (a rollback, a later run).</summary>
    internal static BsonDocument RetireFilter(ModelKind kind, DateTimeOffset promotedAt) => new()
    {
        { "kind", kind.ToWire() },
        { "status", Promoted },
        { "promotedAt", new BsonDocument("$lt", promotedAt.UtcDateTime) },
    };

    internal static BsonDocument RetireUpdate(DateTimeOffset at) =>
        new("$set", new BsonDocument { { "status", ModelStatus.Retired.ToWire() }, { "retiredAt", at.UtcDateTime } });

    public static BsonDocument ToDocument(ModelRecord record) => new()
    {
        { "_id", record.Id },
        { "kind", record.Kind.ToWire() },
        { "status", record.Status.ToWire() },
        { "sha256", record.Sha256 },
        { "bytes", record.Bytes },
        { "metrics", Metrics(record.Metrics) },
        { "baseline", new BsonDocument { { "version", record.Baseline.Version }, { "metrics", Metrics(record.Baseline.Metrics) } } },
        { "trainingSetId", record.TrainingSetId },
        { "gridFsId", record.GridFsId },
        {
            "training", new BsonDocument
            {
                { "trainCount", record.Training.TrainCount },
                { "testCount", record.Training.TestCount },
                { "seed", record.Training.Seed },
                { "heldOutFraction", record.Training.HeldOutFraction },
                { "seconds", record.Training.Seconds },
            }
        },
        { "decision", record.Decision },
        { "createdAt", record.CreatedAt.UtcDateTime },
        { "promotedAt", record.PromotedAt is { } at ? at.UtcDateTime : BsonNull.Value },
    };

    public static ModelRecord Parse(BsonDocument document)
    {
        var baseline = document["baseline"].AsBsonDocument;
        var training = document["training"].AsBsonDocument;
        return new ModelRecord(
            document["_id"].AsString,
            ModelKinds.Parse(document["kind"].AsString),
            ModelRecords.ParseStatus(document["status"].AsString),
            document["sha256"].AsString,
            document["bytes"].ToInt64(),
            Metrics(document["metrics"].AsBsonDocument),
            new ModelBaseline(baseline["version"].AsString, Metrics(baseline["metrics"].AsBsonDocument)),
            document["trainingSetId"].AsString,
            document["gridFsId"].AsString,
            new ModelTraining(
                training["trainCount"].ToInt32(),
                training["testCount"].ToInt32(),
                training["seed"].ToInt32(),
                training["heldOutFraction"].ToDouble(),
                training["seconds"].ToDouble()),
            document.GetValue("decision", "").AsString,
            Time(document["createdAt"])!.Value,
            Time(document.GetValue("promotedAt", BsonNull.Value)));
    }

    private static BsonDocument Metrics(ClassifierMetrics m) => new()
    {
        { "count", m.Count },
        { "positives", m.Positives },
        { "auc", m.AreaUnderRocCurve },
        { "f1", m.F1Score },
        { "precision", m.Precision },
        { "recall", m.Recall },
        { "accuracy", m.Accuracy },
        { "logLoss", m.LogLoss },
        { "tp", m.TruePositives },
        { "fp", m.FalsePositives },
        { "tn", m.TrueNegatives },
        { "fn", m.FalseNegatives },
    };

    private static ClassifierMetrics Metrics(BsonDocument d) => new(
        d["count"].ToInt32(),
        d["positives"].ToInt32(),
        d["auc"].ToDouble(),
        d["f1"].ToDouble(),
        d["precision"].ToDouble(),
        d["recall"].ToDouble(),
        d["accuracy"].ToDouble(),
        d["logLoss"].ToDouble(),
        d["tp"].ToInt32(),
        d["fp"].ToInt32(),
        d["tn"].ToInt32(),
        d["fn"].ToInt32());

    private static DateTimeOffset? Time(BsonValue value) =>
        value is BsonDateTime at ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero) : null;
}
