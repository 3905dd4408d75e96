using MongoDB.Bson;

namespace QuikApp.Workers.Analytics.Housekeeping.IndexUsage;

/// <summary>
/// The shape of a profiled command: field names, operators and structure kept, values replaced with <c>"?"</c>.
/// </summary>
/// <remarks>
/// The report lives far longer than system.profile (a capped collection) and is read by more people, while a profiled
/// filter carries message text, user ids and the like. The shape is what tells an operator which index a query needed.
/// Kept verbatim: the command's first element (its name and collection), and sort, projection and hint, which name
/// fields and directions only. Session and cluster bookkeeping (<c>lsid</c>, <c>$clusterTime</c>, …) is dropped.
/// </remarks>
internal static class QueryShape
{
    public const string Placeholder = "?";
    private const int MaxDepth = 12;
    private const int MaxArrayItems = 20;

    private static readonly HashSet<string> Verbatim = new(StringComparer.Ordinal) { "sort", "projection", "hint", "$sort" };

    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "lsid", "$clusterTime", "$db", "$readPreference", "txnNumber", "autocommit", "startTransaction", "signature", "$audit", "$client", "mayBypassWriteBlocking",
    };

    /// <summary>The shape of a system.profile <c>command</c> document.</summary>
    public static BsonDocument Of(BsonDocument command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var shape = new BsonDocument();
        for (var i = 0; i < command.ElementCount; i++)
        {
            var element = command.GetElement(i);
            if (Dropped.Contains(element.Name))
            {
                continue;
            }

            // The first element is the command itself: { find: "messages" }, { aggregate: "reactions" }.
            shape.Add(element.Name, i == 0 && element.Value is BsonString || Verbatim.Contains(element.Name) ? element.Value.DeepClone() : Redact(element.Value, 1));
        }

        return shape;
    }

    private static BsonValue Redact(BsonValue value, int depth)
    {
        if (depth > MaxDepth)
        {
            return Placeholder;
        }

        switch (value)
        {
            case BsonDocument document:
                var shape = new BsonDocument();
                foreach (var element in document)
                {
                    if (!Dropped.Contains(element.Name))
                    {
                        shape.Add(element.Name, Verbatim.Contains(element.Name) ? element.Value.DeepClone() : Redact(element.Value, depth + 1));
                    }
                }

                return shape;

            case BsonArray array:
                // A list of values ($in: [...]) is one placeholder; a list of stages or clauses keeps its structure.
                if (array.All(item => item is not BsonDocument and not BsonArray))
                {
                    return new BsonArray { Placeholder };
                }

                return new BsonArray(array.Take(MaxArrayItems).Select(item => Redact(item, depth + 1)));

            default:
                return Placeholder;
        }
    }
}
