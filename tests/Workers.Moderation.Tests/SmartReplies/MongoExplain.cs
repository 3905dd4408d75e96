using MongoDB.Bson;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>The winning plan of a command, as (stage, index name) pairs, from <c>explain</c> in queryPlanner mode.</summary>
internal static class MongoExplain
{
    public static async Task<List<(string Stage, string? Index)>> WinningStagesAsync(
        MongoCatalog catalog, QuikAppDatabase database, BsonDocument command, CancellationToken cancellationToken)
    {
        var explained = await catalog.Database(database).RunCommandAsync<BsonDocument>(
            new BsonDocument { { "explain", command }, { "verbosity", "queryPlanner" } }, MongoCatalog.Reads, cancellationToken);
        var stages = new List<(string, string?)>();
        Walk(explained["queryPlanner"]["winningPlan"], stages);
        return stages;
    }

    private static void Walk(BsonValue node, List<(string, string?)> stages)
    {
        if (node is BsonDocument document)
        {
            if (document.TryGetValue("stage", out var stage))
            {
                stages.Add((stage.AsString, document.GetValue("indexName", BsonNull.Value) is BsonString name ? name.Value : null));
            }

            foreach (var element in document)
            {
                Walk(element.Value, stages);
            }
        }
        else if (node is BsonArray array)
        {
            foreach (var item in array)
            {
                Walk(item, stages);
            }
        }
    }
}
