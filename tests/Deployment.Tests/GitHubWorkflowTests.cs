namespace QuikApp.Workers.Deployment.Tests;

/// <summary>
/// .github/workflows/ci.yml: the hosted lane that runs the store tests against a real MongoDB. It cannot run here
/// (tools/test.sh validates its schema); these check that it runs what the README runs, with the lane required.
/// </summary>
public sealed class GitHubWorkflowTests
{
    private static readonly YamlMap Workflow = RepositoryFiles.Yaml(".github/workflows/ci.yml");

    [Fact]
    public void TestJob_RunsTheReadmeTestCommand_WithTheMongoDbLaneRequired()
    {
        var steps = Workflow.Map("jobs").Map("test").List("steps").Cast<Dictionary<object, object>>().ToList();

        Assert.Contains(steps, step => step.TryGetValue("run", out var run) && ((string)run).Trim() == "tools/test.sh --require-mongodb");
        Assert.Contains("tools/test.sh", RepositoryFiles.Text("README.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void TestJob_MongoDb_IsAVersion7ReplicaSetTheLaneIsPointedAt()
    {
        var job = Workflow.Map("jobs").Map("test");
        var url = job.Map("env").Required("QUIKAPP_TEST_MONGODB_URL");
        var steps = job.List("steps").Cast<Dictionary<object, object>>()
            .Select(step => step.TryGetValue("run", out var run) ? (string)run : string.Empty);

        Assert.Contains("replicaSet=rs0", url, StringComparison.Ordinal);
        Assert.Contains(steps, run => run.Contains("mongo:7 --replSet rs0", StringComparison.Ordinal) && run.Contains("rs.initiate", StringComparison.Ordinal));
    }
}
