using MongoDB.Bson;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>How a reply answers its context: inside a thread, or quickly after someone else's channel message.</summary>
public enum ReplyPairKind
{
    Thread,
    Quick,
}

/// <summary>One context message of a pair: its scrubbed text and whether the replier wrote it (no user ids are kept).</summary>
public sealed record ReplyContextLine(string Text, bool SameAuthorAsReply);

/// <summary>
/// One context→reply training pair, as stored in <c>QuikApp_smartreply.reply_pairs</c>. Texts are scrubbed of personal
/// data; the pair names no user. <see cref="MessageIds"/> (context ids in order, then the reply's) is what edits and
/// deletions find it by.
/// </summary>
public sealed record ReplyPair(
    string Id,
    ReplyPairKind Kind,
    Guid WorkspaceId,
    Guid ChannelId,
    ObjectId ReplyMessageId,
    IReadOnlyList<ObjectId> MessageIds,
    IReadOnlyList<ReplyContextLine> Context,
    string Reply,
    DateTimeOffset ReplyAt,
    DateTimeOffset BuiltAt)
{
    /// <summary>The deterministic id of the pair of <paramref name="kind"/> whose reply is <paramref name="replyMessageId"/>.</summary>
    public static string IdFor(ObjectId replyMessageId, ReplyPairKind kind) => $"{replyMessageId}:{kind.ToWire()}";

    /// <summary>The ids of every pair a message can be the reply of (one per kind).</summary>
    public static IEnumerable<string> IdsFor(ObjectId replyMessageId) => Enum.GetValues<ReplyPairKind>().Select(kind => IdFor(replyMessageId, kind));
}

/// <summary>Wire names of <see cref="ReplyPairKind"/>: <c>thread</c>, <c>quick</c>.</summary>
public static class ReplyPairKinds
{
    public static string ToWire(this ReplyPairKind kind) => kind switch
    {
        ReplyPairKind.Thread => "thread",
        ReplyPairKind.Quick => "quick",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ReplyPairKind Parse(string wire) => wire switch
    {
        "thread" => ReplyPairKind.Thread,
        "quick" => ReplyPairKind.Quick,
        _ => throw new FormatException($"unknown reply pair kind '{wire}'"),
    };
}
