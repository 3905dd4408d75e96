using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Testing.Mongo;

/// <summary>
/// What the upstream services would have left in a <see cref="MongoLaneScope"/>'s databases before a worker starts: the
/// seed's indexes exactly as the seed's script creates them (unnamed, so under MongoDB's default names, with its
/// <c>clientMessageId</c> unique + sparse and its <c>files.expiresAt</c> TTL of 0), optionally indexes that conflict with
/// the workers' declarations, and documents shaped as the seed writes them (explicit nulls).
/// </summary>
/// <remarks>Real-lane tests start from this rather than from empty databases (docs/mongodb.md, "Testing").</remarks>
public sealed class UpstreamDatabase
{
    private const int IndexOptionsConflict = 85;
    private const int IndexKeySpecsConflict = 86;

    private UpstreamDatabase(MongoCatalog catalog) => Catalog = catalog;

    /// <summary>The catalog over the scope's databases.</summary>
    public MongoCatalog Catalog { get; }

    /// <summary>A handle over the scope's databases; nothing is created until asked.</summary>
    public static UpstreamDatabase In(MongoLaneScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new UpstreamDatabase(scope.CreateCatalog());
    }

    /// <summary>Every <c>createIndex</c> of the seed, in its order, with its options and no name.</summary>
    public async Task<UpstreamDatabase> WithSeedIndexesAsync(CancellationToken cancellationToken)
    {
        var messages = Catalog.Messages;
        await CreateAsync(messages, "{ channelId: 1, createdAt: -1 }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(messages, "{ threadId: 1, createdAt: 1 }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(messages, "{ userId: 1, createdAt: -1 }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(messages, "{ workspaceId: 1, createdAt: -1 }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(messages, "{ mentions: 1, createdAt: -1 }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(messages, "{ content: 'text' }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(messages, "{ clientMessageId: 1 }", "{ unique: true, sparse: true }", cancellationToken).ConfigureAwait(false);
        try
        {
            // The seed's "Index Optimization" partial index, unnamed: its default name is the full index's, so the server
            // refuses it (same name, other options). That is what running the seed's script does; it never exists upstream.
            await CreateAsync(messages, "{ channelId: 1, createdAt: -1 }", "{ partialFilterExpression: { deleted: false } }", cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code is IndexOptionsConflict or IndexKeySpecsConflict)
        {
        }

        await CreateAsync(Catalog.Reactions, "{ messageId: 1, emoji: 1 }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(Catalog.Reactions, "{ userId: 1, messageId: 1 }", "{ unique: true }", cancellationToken).ConfigureAwait(false);
        await CreateAsync(Catalog.ReadReceipts, "{ channelId: 1, userId: 1 }", "{ unique: true }", cancellationToken).ConfigureAwait(false);
        await CreateAsync(Catalog.ReadReceipts, "{ userId: 1 }", null, cancellationToken).ConfigureAwait(false);

        await CreateAsync(Catalog.Files, "{ fileId: 1 }", "{ unique: true }", cancellationToken).ConfigureAwait(false);
        await CreateAsync(Catalog.Files, "{ workspaceId: 1, createdAt: -1 }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(Catalog.Files, "{ uploadedBy: 1 }", null, cancellationToken).ConfigureAwait(false);
        await CreateAsync(Catalog.Files, "{ expiresAt: 1 }", "{ expireAfterSeconds: 0 }", cancellationToken).ConfigureAwait(false);
        await CreateAsync(Catalog.TempUploads, "{ createdAt: 1 }", "{ expireAfterSeconds: 86400 }", cancellationToken).ConfigureAwait(false);
        return this;
    }

    /// <summary>
    /// Indexes an upstream service might have built that conflict with the workers' declarations: a non-unique
    /// <c>messageId_1</c> on auto_mod_results (the moderation worker declares it unique).
    /// </summary>
    public async Task<UpstreamDatabase> WithConflictingIndexesAsync(CancellationToken cancellationToken)
    {
        await CreateAsync(Catalog.AutoModResults, "{ messageId: 1 }", null, cancellationToken).ConfigureAwait(false);
        return this;
    }

    /// <summary>Inserts raw documents as an upstream service wrote them (no serializer of ours in between).</summary>
    public async Task<UpstreamDatabase> WithDocumentsAsync(IMongoCollection<BsonDocument> collection, IEnumerable<BsonDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        await collection.InsertManyAsync(documents, cancellationToken: cancellationToken).ConfigureAwait(false);
        return this;
    }

    /// <summary>A message as the seed writes it: every optional field present, as explicit null where it has no value.</summary>
    public static BsonDocument SeedMessage(Guid workspaceId, Guid channelId, Guid userId, DateTime createdAt, BsonValue? clientMessageId = null) => new()
    {
        { "_id", ObjectId.GenerateNewId() },
        { "workspaceId", new BsonBinaryData(workspaceId, GuidRepresentation.Standard) },
        { "channelId", new BsonBinaryData(channelId, GuidRepresentation.Standard) },
        { "userId", new BsonBinaryData(userId, GuidRepresentation.Standard) },
        { "content", "hello" },
        { "mentions", new BsonArray() },
        { "threadId", BsonNull.Value },
        { "replyCount", 0 },
        { "lastReplyAt", BsonNull.Value },
        { "reactions", new BsonDocument() },
        { "reactionCount", 0 },
        { "edited", false },
        { "editedAt", BsonNull.Value },
        { "deleted", false },
        { "deletedAt", BsonNull.Value },
        { "clientMessageId", clientMessageId ?? BsonNull.Value },
        { "createdAt", createdAt },
        { "updatedAt", createdAt },
    };

    /// <summary>A file document as the seed writes it (explicit nulls in urls' absence, metadata, expiresAt unless given).</summary>
    public static BsonDocument SeedFile(Guid fileId, Guid workspaceId, DateTime createdAt, DateTime? expiresAt = null) => new()
    {
        { "_id", ObjectId.GenerateNewId() },
        { "fileId", new BsonBinaryData(fileId, GuidRepresentation.Standard) },
        { "workspaceId", new BsonBinaryData(workspaceId, GuidRepresentation.Standard) },
        { "uploadedBy", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "filename", "report.pdf" },
        { "mimeType", "application/pdf" },
        { "size", 1024 },
        { "storage", BsonNull.Value },
        { "urls", BsonNull.Value },
        { "metadata", new BsonDocument { { "width", BsonNull.Value }, { "height", BsonNull.Value }, { "duration", BsonNull.Value }, { "pages", 10 } } },
        { "virusScan", new BsonDocument { { "status", "pending" }, { "scannedAt", BsonNull.Value } } },
        { "deleted", false },
        { "deletedAt", BsonNull.Value },
        { "createdAt", createdAt },
        { "expiresAt", expiresAt is { } at ? at : BsonNull.Value },
    };

    private static Task<string> CreateAsync(IMongoCollection<BsonDocument> collection, string keys, string? options, CancellationToken cancellationToken)
    {
        var parsed = options is null ? new BsonDocument() : BsonDocument.Parse(options);
        var createOptions = new CreateIndexOptions<BsonDocument>
        {
            Unique = parsed.Contains("unique") ? parsed["unique"].ToBoolean() : null,
            Sparse = parsed.Contains("sparse") ? parsed["sparse"].ToBoolean() : null,
            ExpireAfter = parsed.Contains("expireAfterSeconds") ? TimeSpan.FromSeconds(parsed["expireAfterSeconds"].ToInt32()) : null,
            PartialFilterExpression = parsed.Contains("partialFilterExpression") ? parsed["partialFilterExpression"].AsBsonDocument : null,
        };
        // No Name: the driver then sends MongoDB's default name, as the seed's unnamed createIndex does.
        return collection.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(BsonDocument.Parse(keys), createOptions), cancellationToken: cancellationToken);
    }
}
