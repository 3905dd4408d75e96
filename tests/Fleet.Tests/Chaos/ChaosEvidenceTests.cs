using QuikApp.Workers.Fleet.Chaos;

namespace QuikApp.Workers.Fleet.Tests.Chaos;

/// <summary>What counts as a trace of a fault in the workers' compact-JSON logs, and what every scenario asks for.</summary>
public sealed class ChaosEvidenceTests
{
    [Theory]
    [InlineData("""{"@t":"2026-11-26T01:48:36Z","@m":"Handler failed (Transient)","@l":"Warning","EventId":{"Id":1,"Name":"LogRetrying"}}""", "LogRetrying")]
    [InlineData("""{"@t":"2026-11-26T01:48:36Z","@m":"Assigned 9 partitions","EventId":{"Id":2,"Name":"LogAssigned"}}""", "LogAssigned")]
    [InlineData("""{"@t":"2026-11-26T01:48:36Z","@m":"Batch handled","EventId":{"Id":3,"Name":"LogHandled"}}""", null)]
    [InlineData("""{"@t":"2026-11-26T01:48:36Z","@m":"no event id","@l":"Error"}""", null)]
    [InlineData("Unhandled exception. System.IO.IOException", null)]
    [InlineData("{ cut off", null)]
    public void Name_CountsWarningsErrorsAndTheConsumerLifecycle_Only(string line, string? expected) =>
        Assert.Equal(expected, ChaosEvidence.Name(line));

    [Fact]
    public void Read_CountsTheInProcessLogAndEachChildsLog()
    {
        var directory = Directory.CreateTempSubdirectory("quikapp-chaos-evidence-").FullName;
        try
        {
            const string retry = """{"@l":"Warning","EventId":{"Name":"LogRetrying"}}""";
            const string started = """{"EventId":{"Name":"LogStarted"}}""";
            File.WriteAllLines(Path.Join(directory, "workers.log"), [retry, retry, "plain text"]);
            Directory.CreateDirectory(Path.Join(directory, "logs"));
            File.WriteAllLines(Path.Join(directory, "logs", "files.log"), [started, retry]);

            var evidence = ChaosEvidence.Read(directory);

            Assert.Equal(3, evidence.Count(ChaosEvidence.Retrying));
            Assert.Equal(1, evidence.Count(ChaosEvidence.Started, ChaosEvidence.Assigned));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void EveryScenario_FailsWhenItsFaultLeftNoTrace()
    {
        var quiet = new Dictionary<string, int> { [ChaosEvidence.Started] = 2, [ChaosEvidence.Assigned] = 2, ["LogDeadLettered"] = 15 };

        Assert.All(ChaosScenarios.All, scenario => Assert.False(scenario.Felt.Holds(quiet), $"{scenario.Name} passes on an undisturbed run's logs"));
        Assert.Equal(ChaosScenarios.Names.Count, ChaosScenarios.Names.Distinct().Count());
    }
}
