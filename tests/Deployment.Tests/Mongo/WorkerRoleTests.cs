using System.Text.RegularExpressions;

namespace QuikApp.Workers.Deployment.Tests.Mongo;

/// <summary>
/// deploy/mongodb/init-replica-set.js read as data: the workers' custom role grants exactly the privilege actions the
/// fleet's MongoDB calls need (manual, "Privilege Actions"), derived from the calls found in src/.
/// </summary>
public sealed partial class WorkerRoleTests
{
    private const string Script = "deploy/mongodb/init-replica-set.js";

    /// <summary>Which source text makes which action necessary. Every action the role grants must be needed by one.</summary>
    private static readonly (string Action, Regex UsedBy)[] ActionsNeeded =
    [
        ("find", new(@"\.(Find|FindAsync|CountDocumentsAsync|DistinctAsync|AggregateAsync|DownloadAsBytesAsync|OpenDownloadStreamAsync)\b")),
        ("insert", new(@"\.(InsertOneAsync|InsertManyAsync|UploadFromBytesAsync)\b|IsUpsert = true|""\$merge""")),
        ("update", new(@"\.(UpdateOneAsync|UpdateManyAsync|ReplaceOneAsync|FindOneAndUpdateAsync)\b|""\$merge""")),
        ("remove", new(@"\.(DeleteManyAsync|DeleteOneAsync)\b")),
        ("createIndex", new(@"""createIndexes""")),
        ("createCollection", new(@"""createIndexes""")),
        ("collMod", new(@"""collMod""")),
        ("listIndexes", new(@"\.Indexes\s*;?[\s\S]{0,80}?ListAsync|\.Indexes\.ListAsync")),
        ("listCollections", new(@"\.(ListCollectionNamesAsync|ListCollectionsAsync)\b")),
        ("indexStats", new(@"""\$indexStats""")),
        ("enableProfiler", new(@"new BsonDocument\(""profile"",")),
        ("killCursors", new(@"\.Limit\(|using var cursor")),
    ];

    [Fact]
    public void WorkersUser_GetsOnlyTheCustomRole_NotReadWrite()
    {
        var script = RepositoryFiles.Text(Script);

        Assert.Contains("ensureUser(env.MONGO_WORKERS_USERNAME, env.MONGO_WORKERS_PASSWORD, [{ role: 'quikappWorker', db: 'admin' }]);", script);
        Assert.DoesNotContain("'readWrite'", script);
    }

    [Fact]
    public void WorkerRole_GrantsEveryActionTheCodeNeeds_AndNoOther()
    {
        var granted = ArrayLiteral(RepositoryFiles.Text(Script), "workerActions");
        var sources = SourceFiles();

        var needed = ActionsNeeded.Where(entry => sources.Any(source => entry.UsedBy.IsMatch(source))).Select(entry => entry.Action).ToHashSet();

        // Among them the two readWrite lacks, which ttl-indexes and index-usage-report cannot work without.
        Assert.Contains("collMod", needed);
        Assert.Contains("indexStats", needed);
        Assert.Contains("enableProfiler", needed);
        Assert.Equal(needed.Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WorkerRole_ReadsSystemProfileByName()
    {
        var script = RepositoryFiles.Text(Script);

        Assert.Equal(["find"], ArrayLiteral(script, "profileActions"));
        Assert.Contains("{ resource: { db: d, collection: 'system.profile' }, actions: profileActions }", script);
        Assert.Contains(SourceFiles(), source => source.Contains("\"system.profile\"", StringComparison.Ordinal));
    }

    [Fact]
    public void WorkerRole_CoversEveryQuikAppDatabase()
    {
        var databases = ArrayLiteral(RepositoryFiles.Text(Script), "databases");

        Assert.Equal(
            ["QuikApp_analytics", "QuikApp_files", "QuikApp_messages", "QuikApp_ml", "QuikApp_moderation", "QuikApp_smartreply"],
            databases.Order(StringComparer.Ordinal));
    }

    private static List<string> SourceFiles() =>
        [.. Directory.EnumerateFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)];

    /// <summary>The quoted strings of <c>const name = [ ... ];</c>, comments ignored.</summary>
    private static List<string> ArrayLiteral(string script, string name)
    {
        var match = new Regex($@"const {name} = \[(?<body>[\s\S]*?)\];").Match(script);
        Assert.True(match.Success, $"{Script} declares no array {name}");
        var body = LineComment().Replace(match.Groups["body"].Value, string.Empty);
        return [.. Quoted().Matches(body).Select(m => m.Groups["value"].Value)];
    }

    [GeneratedRegex("//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex("'(?<value>[^']*)'")]
    private static partial Regex Quoted();
}
