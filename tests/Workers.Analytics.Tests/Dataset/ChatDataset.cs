using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Dataset;

/// <summary>A message as the generator keeps it: its real state and the counters stored on it (drifted on purpose for some).</summary>
internal sealed class ChatMessage
{
    public required ObjectId Id { get; init; }
    public required Guid WorkspaceId { get; init; }
    public required Guid ChannelId { get; init; }
    public required Guid UserId { get; init; }
    public ObjectId? ThreadId { get; init; }
    public required DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public bool Deleted { get; set; }
    public Dictionary<string, List<Guid>> StoredReactions { get; set; } = new(StringComparer.Ordinal);
    public int StoredReactionCount { get; set; }
    public int StoredReplyCount { get; set; }
    public DateTime? StoredLastReplyAt { get; set; }

    public BsonDocument ToBson() => new()
    {
        { "_id", Id },
        { "channelId", BsonValues.Uuid(ChannelId) },
        { "workspaceId", BsonValues.Uuid(WorkspaceId) },
        { "userId", BsonValues.Uuid(UserId) },
        { "content", $"message {Id}" },
        { "contentType", "text" },
        { "threadId", ThreadId is { } thread ? thread : BsonNull.Value },
        { "replyCount", StoredReplyCount },
        { "lastReplyAt", StoredLastReplyAt is { } last ? new BsonDateTime(last) : BsonNull.Value },
        { "reactions", new BsonDocument(StoredReactions.Select(pair => new BsonElement(pair.Key, new BsonArray(pair.Value.Select(BsonValues.Uuid))))) },
        { "reactionCount", StoredReactionCount },
        { "edited", UpdatedAt > CreatedAt && !Deleted },
        { "deleted", Deleted },
        { "deletedAt", Deleted ? new BsonDateTime(UpdatedAt) : BsonNull.Value },
        { "createdAt", new BsonDateTime(CreatedAt) },
        { "updatedAt", new BsonDateTime(UpdatedAt) },
    };
}

internal sealed record ChatReaction(ObjectId Id, ObjectId MessageId, Guid ChannelId, Guid UserId, string Emoji, DateTime CreatedAt)
{
    public BsonDocument ToBson() => new()
    {
        { "_id", Id },
        { "messageId", MessageId },
        { "channelId", BsonValues.Uuid(ChannelId) },
        { "userId", BsonValues.Uuid(UserId) },
        { "emoji", Emoji },
        { "emojiCode", $":{Emoji}:" },
        { "createdAt", new BsonDateTime(CreatedAt) },
    };
}

internal sealed class ChatReceipt
{
    public required ObjectId Id { get; init; }
    public required Guid ChannelId { get; init; }
    public required Guid UserId { get; init; }
    public DateTime? LastReadAt { get; init; }
    public int StoredUnreadCount { get; set; }

    public BsonDocument ToBson()
    {
        var document = new BsonDocument
        {
            { "_id", Id },
            { "channelId", BsonValues.Uuid(ChannelId) },
            { "userId", BsonValues.Uuid(UserId) },
            { "unreadCount", StoredUnreadCount },
        };
        if (LastReadAt is { } read)
        {
            document.Add("lastReadAt", new BsonDateTime(read));
        }

        return document;
    }
}

/// <summary>An auto-moderation result: scored (action, processedAt), a tombstone for a message deleted unscored, or a legacy one without workspace.</summary>
internal sealed class ModerationResult
{
    public required ObjectId Id { get; init; }
    public required ObjectId MessageId { get; init; }
    public Guid? WorkspaceId { get; init; }
    public required Guid ChannelId { get; init; }
    public string? Action { get; init; }
    public DateTime? ProcessedAt { get; set; }

    public BsonDocument ToBson()
    {
        var document = new BsonDocument { { "_id", Id }, { "messageId", MessageId }, { "channelId", BsonValues.Uuid(ChannelId) } };
        if (WorkspaceId is { } workspace)
        {
            document.Add("workspaceId", BsonValues.Uuid(workspace));
        }

        if (Action is { } action)
        {
            document.Add("action", action);
            document.Add("overallScore", action == "allow" ? 0.1 : 0.8);
        }

        if (ProcessedAt is { } processed)
        {
            document.Add("processedAt", new BsonDateTime(processed));
        }
        else
        {
            document.Add("deleted", true);
        }

        return document;
    }
}

internal sealed record ChatReport(ObjectId Id, ObjectId MessageId, Guid ChannelId, string Status, DateTime CreatedAt, DateTime? ReviewedAt)
{
    public BsonDocument ToBson() => new()
    {
        { "_id", Id },
        { "messageId", MessageId },
        { "channelId", BsonValues.Uuid(ChannelId) },
        { "reason", "spam" },
        { "status", Status },
        { "reviewedAt", ReviewedAt is { } reviewed ? new BsonDateTime(reviewed) : BsonNull.Value },
        { "createdAt", new BsonDateTime(CreatedAt) },
    };
}

/// <summary>
/// A generated chat history (three workspaces, five days, threads, reactions, receipts, moderation) with counters
/// drifted on purpose, and the figures every analytics job must produce computed over it in plain C#.
/// </summary>
internal sealed class ChatDataset
{
    public static readonly DateTime FirstDay = new(2024, 1, 15, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTimeOffset Now = new(2024, 1, 20, 12, 0, 0, TimeSpan.Zero);
    public static readonly string[] Emojis = ["thumbsup", "heart", "laugh"];
    public const int Days = 5;

    private readonly Random _random;

    public List<Guid> Workspaces { get; } = [];
    public Dictionary<Guid, List<Guid>> UsersOf { get; } = [];
    public Dictionary<Guid, Guid> WorkspaceOfChannel { get; } = [];
    public List<ChatMessage> Messages { get; } = [];
    public List<ChatReaction> Reactions { get; } = [];
    public List<ChatReceipt> Receipts { get; } = [];
    public List<ModerationResult> Results { get; } = [];
    public List<ChatReport> Reports { get; } = [];

    /// <summary>Messages whose stored reactions / thread counters were drifted by the generator (undeleted ones only count).</summary>
    public HashSet<ObjectId> DriftedReactions { get; } = [];
    public HashSet<ObjectId> DriftedThreads { get; } = [];

    private ChatDataset(int seed) => _random = new Random(seed);

    public static ChatDataset Generate(int seed = 7)
    {
        var data = new ChatDataset(seed);
        data.GenerateWorkspaces();
        data.GenerateMessages();
        data.GenerateReactions();
        data.SetThreadCounters();
        data.GenerateReceipts();
        data.GenerateModeration();
        return data;
    }

    private Guid NewGuid() => new(Enumerable.Range(0, 16).Select(_ => (byte)_random.Next(256)).ToArray());

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private void GenerateWorkspaces()
    {
        for (var w = 0; w < 3; w++)
        {
            var workspace = NewGuid();
            Workspaces.Add(workspace);
            UsersOf[workspace] = [.. Enumerable.Range(0, 5).Select(_ => NewGuid())];
            for (var c = 0; c < 2; c++)
            {
                WorkspaceOfChannel[NewGuid()] = workspace;
            }
        }
    }

    private void GenerateMessages()
    {
        foreach (var (channel, workspace) in WorkspaceOfChannel)
        {
            for (var day = 0; day < Days; day++)
            {
                var count = _random.Next(3, 11);
                var times = Enumerable.Range(0, count).Select(_ => FirstDay.AddDays(day).AddSeconds(_random.Next(86_400))).Order().ToList();
                foreach (var createdAt in times)
                {
                    var parents = Messages.Where(m => m.ChannelId == channel && m.ThreadId is null && m.CreatedAt < createdAt).ToList();
                    var message = new ChatMessage
                    {
                        Id = ObjectId.GenerateNewId(createdAt),
                        WorkspaceId = workspace,
                        ChannelId = channel,
                        UserId = Pick(UsersOf[workspace]),
                        ThreadId = parents.Count > 0 && Chance(0.25) ? Pick(parents).Id : null,
                        CreatedAt = createdAt,
                        UpdatedAt = createdAt,
                    };
                    if (Chance(0.12))
                    {
                        message.Deleted = true;
                        message.UpdatedAt = createdAt.AddMinutes(_random.Next(1, 120));
                    }
                    else if (Chance(0.15))
                    {
                        message.UpdatedAt = createdAt.AddMinutes(_random.Next(1, 120));
                    }

                    Messages.Add(message);
                }
            }
        }

        // One workspace-day whose messages are all deleted: its figures are zero.
        foreach (var message in Messages.Where(m => m.WorkspaceId == Workspaces[2] && m.CreatedAt.Date == FirstDay.AddDays(1)))
        {
            message.Deleted = true;
            message.UpdatedAt = message.CreatedAt.AddMinutes(5);
        }
    }

    private void GenerateReactions()
    {
        foreach (var message in Messages)
        {
            if (!message.Deleted && Chance(0.35))
            {
                foreach (var user in UsersOf[message.WorkspaceId].OrderBy(_ => _random.Next()).Take(_random.Next(1, 5)))
                {
                    var at = message.CreatedAt.AddMinutes(_random.Next(1, 90));
                    Reactions.Add(new ChatReaction(ObjectId.GenerateNewId(at), message.Id, message.ChannelId, user, Pick(Emojis), at));
                }
            }

            var truth = ReactionTruth(message.Id);
            message.StoredReactions = truth.Users.ToDictionary(pair => pair.Key, pair => pair.Value.ToList(), StringComparer.Ordinal);
            message.StoredReactionCount = truth.Count;
            if (!Chance(0.2))
            {
                continue;
            }

            // Drift, the ways a denormalised copy goes wrong.
            switch (_random.Next(3))
            {
                case 0 when message.StoredReactions.Count > 0:
                    var emoji = message.StoredReactions.Keys.First();
                    message.StoredReactions[emoji].RemoveAt(0);
                    break;
                case 1:
                    message.StoredReactionCount += 1;
                    break;
                default:
                    message.StoredReactions["ghost"] = [Pick(UsersOf[message.WorkspaceId])];
                    message.StoredReactionCount += 1;
                    break;
            }

            if (!message.Deleted && !SameReactions(message, truth))
            {
                DriftedReactions.Add(message.Id);
            }
        }
    }

    private static bool SameReactions(ChatMessage message, (Dictionary<string, HashSet<Guid>> Users, int Count) truth)
    {
        var stored = message.StoredReactions.Where(pair => pair.Value.Count > 0).ToDictionary(pair => pair.Key, pair => pair.Value.ToHashSet());
        return message.StoredReactionCount == truth.Count
            && stored.Count == truth.Users.Count
            && stored.All(pair => truth.Users.TryGetValue(pair.Key, out var users) && users.SetEquals(pair.Value));
    }

    private void SetThreadCounters()
    {
        foreach (var parent in Messages.Where(m => m.ThreadId is null))
        {
            var (count, last) = ThreadTruth(parent.Id);
            parent.StoredReplyCount = count;
            parent.StoredLastReplyAt = last;
            if (!Chance(0.25))
            {
                continue;
            }

            if (_random.Next(2) == 0)
            {
                // Counted every reply, deleted ones too.
                var replies = Messages.Where(m => m.ThreadId == parent.Id).ToList();
                parent.StoredReplyCount = replies.Count;
                parent.StoredLastReplyAt = replies.Count == 0 ? null : replies.Max(m => m.CreatedAt);
                if (replies.Count == 0)
                {
                    parent.StoredReplyCount = 1; // a ghost reply
                }
            }
            else
            {
                parent.StoredLastReplyAt = parent.CreatedAt.AddMinutes(1);
            }

            if (!parent.Deleted && (parent.StoredReplyCount != count || parent.StoredLastReplyAt != last))
            {
                DriftedThreads.Add(parent.Id);
            }
        }
    }

    private void GenerateReceipts()
    {
        foreach (var (channel, workspace) in WorkspaceOfChannel)
        {
            foreach (var user in UsersOf[workspace].Where(_ => Chance(0.8)))
            {
                DateTime? lastReadAt = Chance(0.15) ? null : FirstDay.AddSeconds(_random.Next(Days * 86_400));
                Receipts.Add(new ChatReceipt
                {
                    Id = ObjectId.GenerateNewId(FirstDay.AddSeconds(_random.Next(86_400))),
                    ChannelId = channel,
                    UserId = user,
                    LastReadAt = lastReadAt,
                    StoredUnreadCount = _random.Next(0, 20),
                });
            }
        }
    }

    private void GenerateModeration()
    {
        foreach (var message in Messages)
        {
            if (Chance(0.75))
            {
                var roll = _random.NextDouble();
                Results.Add(new ModerationResult
                {
                    Id = ObjectId.GenerateNewId(message.CreatedAt),
                    MessageId = message.Id,
                    // A few results from before the moderation worker wrote workspaceId: they cannot be attributed.
                    WorkspaceId = Chance(0.03) ? null : message.WorkspaceId,
                    ChannelId = message.ChannelId,
                    Action = roll < 0.7 ? "allow" : roll < 0.9 ? "flag" : "block",
                    ProcessedAt = message.CreatedAt.AddSeconds(_random.Next(1, 600)),
                });
            }
            else if (message.Deleted)
            {
                Results.Add(new ModerationResult { Id = ObjectId.GenerateNewId(message.UpdatedAt), MessageId = message.Id, WorkspaceId = message.WorkspaceId, ChannelId = message.ChannelId });
            }

            if (Chance(0.15))
            {
                var createdAt = message.CreatedAt.AddHours(_random.Next(0, 30));
                var status = Pick(new[] { "pending", "reviewed", "actioned", "dismissed" });
                Reports.Add(new ChatReport(
                    ObjectId.GenerateNewId(createdAt), message.Id, message.ChannelId, status, createdAt,
                    status == "pending" ? null : createdAt.AddHours(_random.Next(0, 30))));
            }
        }
    }

    public async Task InsertAsync(MongoCatalog catalog, CancellationToken cancellationToken)
    {
        await catalog.Messages.InsertManyAsync(Messages.Select(m => m.ToBson()), cancellationToken: cancellationToken);
        await catalog.Reactions.InsertManyAsync(Reactions.Select(r => r.ToBson()), cancellationToken: cancellationToken);
        await catalog.ReadReceipts.InsertManyAsync(Receipts.Select(r => r.ToBson()), cancellationToken: cancellationToken);
        await catalog.AutoModResults.InsertManyAsync(Results.Select(r => r.ToBson()), cancellationToken: cancellationToken);
        await catalog.Reports.InsertManyAsync(Reports.Select(r => r.ToBson()), cancellationToken: cancellationToken);
    }

    // ---- The figures, in plain C# ----

    /// <summary>Per (workspace, UTC day): undeleted messages and distinct users who posted them.</summary>
    public Dictionary<(Guid Workspace, DateTime Day), (int Total, int Users)> ExpectedDailyStats() =>
        Messages.Where(m => !m.Deleted)
            .GroupBy(m => (m.WorkspaceId, m.CreatedAt.Date))
            .ToDictionary(g => (g.Key.WorkspaceId, DateTime.SpecifyKind(g.Key.Date, DateTimeKind.Utc)), g => (g.Count(), g.Select(m => m.UserId).Distinct().Count()));

    /// <summary>Undeleted messages by others after the receipt's lastReadAt (all of them when never read), stopping at the cap.</summary>
    public int ExpectedUnread(ChatReceipt receipt, int cap) => Math.Min(cap, Messages.Count(m =>
        m.ChannelId == receipt.ChannelId && !m.Deleted && m.UserId != receipt.UserId && (receipt.LastReadAt is null || m.CreatedAt > receipt.LastReadAt)));

    public (Dictionary<string, HashSet<Guid>> Users, int Count) ReactionTruth(ObjectId messageId)
    {
        var users = Reactions.Where(r => r.MessageId == messageId)
            .GroupBy(r => r.Emoji)
            .ToDictionary(g => g.Key, g => g.Select(r => r.UserId).ToHashSet(), StringComparer.Ordinal);
        return (users, users.Values.Sum(set => set.Count));
    }

    public (int Count, DateTime? Last) ThreadTruth(ObjectId parentId)
    {
        var replies = Messages.Where(m => m.ThreadId == parentId && !m.Deleted).ToList();
        return (replies.Count, replies.Count == 0 ? null : replies.Max(m => m.CreatedAt));
    }

    /// <summary>Per (workspace, UTC day) in [from, to): scored, flagged, blocked, reports opened, reports actioned.</summary>
    public Dictionary<(Guid Workspace, DateTime Day), (int Scored, int Flagged, int Blocked, int Opened, int Actioned)> ExpectedModerationDaily(DateTime from, DateTime to)
    {
        var figures = new Dictionary<(Guid, DateTime), (int Scored, int Flagged, int Blocked, int Opened, int Actioned)>();
        void Add((Guid, DateTime) key, int scored = 0, int flagged = 0, int blocked = 0, int opened = 0, int actioned = 0)
        {
            var current = figures.GetValueOrDefault(key);
            figures[key] = (current.Scored + scored, current.Flagged + flagged, current.Blocked + blocked, current.Opened + opened, current.Actioned + actioned);
        }

        static DateTime Day(DateTime instant) => DateTime.SpecifyKind(instant.Date, DateTimeKind.Utc);
        bool InWindow(DateTime? instant) => instant is { } at && at >= from && at < to;

        foreach (var result in Results.Where(r => InWindow(r.ProcessedAt) && r.WorkspaceId is not null && r.Action is not null))
        {
            Add((result.WorkspaceId!.Value, Day(result.ProcessedAt!.Value)), scored: 1, flagged: result.Action == "flag" ? 1 : 0, blocked: result.Action == "block" ? 1 : 0);
        }

        foreach (var report in Reports)
        {
            if (WorkspaceOfReport(report) is not { } workspace)
            {
                continue;
            }

            if (InWindow(report.CreatedAt))
            {
                Add((workspace, Day(report.CreatedAt)), opened: 1);
            }

            if (report.Status == "actioned" && InWindow(report.ReviewedAt))
            {
                Add((workspace, Day(report.ReviewedAt!.Value)), actioned: 1);
            }
        }

        return figures;
    }

    public int ExpectedUnattributedReports(DateTime from, DateTime to) =>
        Reports.Count(report => report.CreatedAt >= from && report.CreatedAt < to && WorkspaceOfReport(report) is null);

    public Guid? WorkspaceOfReport(ChatReport report) =>
        Results.FirstOrDefault(result => result.MessageId == report.MessageId)?.WorkspaceId;
}
