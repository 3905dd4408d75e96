using MongoDB.Bson;
using MongoDB.Driver;

namespace QuikApp.Workers.Analytics.Tests.Dataset;

/// <summary>Runs explain on a pipeline or find and lists what it used: index names (plan stages and $lookup's indexesUsed) and collection scans.</summary>
internal sealed record ExplainedPlan(IReadOnlySet<string> Indexes, int CollectionScans, BsonDocument Raw)
{
    /// <summary>explain of an aggregate, in executionStats verbosity so that $lookup reports indexesUsed / collectionScans (5.0+).</summary>
    /// <remarks>Pipelines ending in $merge are explained without it: the read side is what needs the indexes.</remarks>
    public static async Task<ExplainedPlan> AggregateAsync(IMongoCollection<BsonDocument> collection, IEnumerable<BsonDocument> pipeline)
    {
        var stages = pipeline.Where(stage => stage.GetElement(0).Name != "$merge").ToList();
        var command = new BsonDocument
        {
            { "explain", new BsonDocument { { "aggregate", collection.CollectionNamespace.CollectionName }, { "pipeline", new BsonArray(stages) }, { "cursor", new BsonDocument() } } },
            { "verbosity", "executionStats" },
        };
        return Read(await collection.Database.RunCommandAsync<BsonDocument>(command, cancellationToken: TestContext.Current.CancellationToken));
    }

    public static async Task<ExplainedPlan> FindAsync(IMongoCollection<BsonDocument> collection, BsonDocument filter, BsonDocument? sort = null)
    {
        var find = new BsonDocument { { "find", collection.CollectionNamespace.CollectionName }, { "filter", filter } };
        if (sort is not null)
        {
            find.Add("sort", sort);
        }

        var command = new BsonDocument { { "explain", find }, { "verbosity", "executionStats" } };
        return Read(await collection.Database.RunCommandAsync<BsonDocument>(command, cancellationToken: TestContext.Current.CancellationToken));
    }

    private static ExplainedPlan Read(BsonDocument explain)
    {
        var indexes = new HashSet<string>(StringComparer.Ordinal);
        var scans = 0;
        Walk(explain);
        return new ExplainedPlan(indexes, scans, explain);

        void Walk(BsonValue value)
        {
            switch (value)
            {
                case BsonDocument document:
                    foreach (var element in document)
                    {
                        switch (element.Name)
                        {
                            case "indexName" when element.Value is BsonString name:
                                indexes.Add(name.Value);
                                break;
                            case "indexesUsed" when element.Value is BsonArray used:
                                indexes.UnionWith(used.OfType<BsonString>().Select(name => name.Value));
                                break;
                            case "collectionScans" when element.Value.IsNumeric:
                                scans += element.Value.ToInt32();
                                break;
                            case "stage" when element.Value is BsonString { Value: "COLLSCAN" }:
                                scans++;
                                break;
                        }

                        // rejectedPlans may hold a COLLSCAN the planner did not choose: not what ran.
                        if (element.Name is not "rejectedPlans" and not "allPlansExecution")
                        {
                            Walk(element.Value);
                        }
                    }

                    break;
                case BsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item);
                    }

                    break;
            }
        }
    }
}
