using System.Text.RegularExpressions;

namespace QuikApp.Workers.Deployment.Tests.Compose;

/// <summary>
/// docker-compose.yml read as data (there is no Docker engine in CI; tools/test.sh also runs <c>docker-compose config
/// -q</c> on it): the invariants the fleet relies on, and .env.example covering every variable it reads.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly YamlMap Compose = RepositoryFiles.Yaml("docker-compose.yml");

    private static YamlMap Service(string name) => Compose.Map("services").Map(name);

    public static TheoryData<string, string> Workers() => new()
    {
        { "worker-moderation", "Moderation" },
        { "worker-files", "Files" },
        { "worker-analytics", "Analytics" },
    };

    [Theory]
    [MemberData(nameof(Workers))]
    public void Worker_IsBuiltFromTheDockerfileAndRunsReadOnlyWithoutPrivileges(string service, string worker)
    {
        var s = Service(service);

        Assert.Equal(".", s.Map("build").Required("context"));
        Assert.Equal(worker, s.Map("build").Map("args").Required("WORKER"));
        Assert.True(s.Bool("read_only"));
        Assert.Contains(s.List("tmpfs").Cast<string>(), t => t.StartsWith("/tmp", StringComparison.Ordinal));
        Assert.Contains("no-new-privileges:true", s.List("security_opt").Cast<string>());
        Assert.Equal(["ALL"], s.List("cap_drop").Cast<string>());
    }

    [Theory]
    [MemberData(nameof(Workers))]
    public void Worker_GetsItsSettingsFromTheEnvironment_AndStopsGracefully(string service, string worker)
    {
        _ = worker;
        var environment = Service(service).Map("environment");

        Assert.Equal("8080", environment.Required("Health__Port"));
        Assert.Equal("kafka:9092", environment.Required("Kafka__BootstrapServers"));
        Assert.Contains("@mongodb:27017/?replicaSet=rs0", environment.Required("Mongo__ConnectionString"), StringComparison.Ordinal);
        // Longer than the host's 45 s shutdown budget (itself longer than the 20 s consumer drain).
        var grace = Service(service).Required("stop_grace_period");
        Assert.True(int.Parse(grace.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture) > 45, $"{service}: stop_grace_period {grace}");
    }

    [Theory]
    [MemberData(nameof(Workers))]
    public void Worker_StartsOnlyOnceMongoDbAndKafkaAreHealthyAndInitialised(string service, string worker)
    {
        _ = worker;
        var dependsOn = Service(service).Map("depends_on");

        Assert.Equal("service_healthy", dependsOn.Map("mongodb").Required("condition"));
        Assert.Equal("service_completed_successfully", dependsOn.Map("mongodb-init").Required("condition"));
        Assert.Equal("service_healthy", dependsOn.Map("kafka").Required("condition"));
        Assert.Equal("service_completed_successfully", dependsOn.Map("kafka-topics").Required("condition"));
    }

    [Fact]
    public void FilesWorker_WaitsForClamdAndTheBuckets_AndIsToldWhereClamdIs()
    {
        var files = Service("worker-files");

        Assert.Equal("service_healthy", files.Map("depends_on").Map("clamav").Required("condition"));
        Assert.Equal("service_completed_successfully", files.Map("depends_on").Map("minio-init").Required("condition"));
        Assert.Equal("clamav", files.Map("environment").Required("Files__Clamd__Host"));
        Assert.Equal("http://minio:9000", files.Map("environment").Required("Storage__Providers__s3__ServiceUrl"));
    }

    [Fact]
    public void Clamd_IsPublishedNowhere_AndSharesItsInternalNetworkWithTheFilesWorkerOnly()
    {
        Assert.False(Service("clamav").Has("ports"));
        Assert.True(Compose.Map("networks").Map("scanning").Bool("internal"));
        var onScanning = Compose.Map("services").Keys
            .Where(name => Service(name).List("networks").Cast<string>().Contains("scanning"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["clamav", "worker-files"], onScanning);
        Assert.Equal("/etc/clamav/clamd.conf", Service("clamav").List("volumes").Cast<string>()
            .Single(v => v.Contains("clamd.conf", StringComparison.Ordinal)).Split(':')[1]);
    }

    [Fact]
    public void PublishedPorts_AreBoundToLoopbackOnly()
    {
        var ports = Compose.Map("services").Keys.SelectMany(name => Service(name).List("ports").Cast<string>()).ToList();

        Assert.NotEmpty(ports);
        Assert.All(ports, p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
    }

    [Fact]
    public void MongoDb_IsReplicaSetRs0WithAHealthcheck_InitiatedByAOneShotStep()
    {
        Assert.True(Service("mongodb").Has("healthcheck"));
        Assert.Contains("--replSet rs0", RepositoryFiles.Text("deploy/mongodb/mongod.sh"), StringComparison.Ordinal);
        Assert.Contains("rs.initiate({ _id: 'rs0'", RepositoryFiles.Text("deploy/mongodb/init-replica-set.js"), StringComparison.Ordinal);
        Assert.Contains("/deploy/mongodb/init-replica-set.js", string.Join(' ', Service("mongodb-init").List("command").Cast<string>()), StringComparison.Ordinal);
        Assert.Equal("\"no\"".Trim('"'), Service("mongodb-init").Required("restart"));
    }

    [Fact]
    public void Kafka_RunsInKRaftMode_WithoutAutoCreation_AndTheTopicStepUsesTheTopicList()
    {
        var kafka = Service("kafka");

        Assert.StartsWith("${KAFKA_IMAGE:-apache/kafka:", kafka.Required("image"), StringComparison.Ordinal);
        Assert.Equal("broker,controller", kafka.Map("environment").Required("KAFKA_PROCESS_ROLES"));
        Assert.Equal("false", kafka.Map("environment").Required("KAFKA_AUTO_CREATE_TOPICS_ENABLE"));
        Assert.True(kafka.Has("healthcheck"));
        Assert.Contains("./deploy/kafka:/deploy/kafka:ro", Service("kafka-topics").List("volumes").Cast<string>());
        Assert.Equal(["bash", "/deploy/kafka/create-topics.sh"], Service("kafka-topics").List("entrypoint").Cast<string>());
    }

    [Fact]
    public void OptionalServices_AreBehindProfiles()
    {
        Assert.Equal(["monitoring"], Service("prometheus").List("profiles").Cast<string>());
        Assert.Equal(["backup"], Service("mongodb-backup").List("profiles").Cast<string>());
        Assert.Equal(["backup"], Service("mongodb-backup-upload").List("profiles").Cast<string>());
    }

    [Fact]
    public void EnvExample_NamesEveryVariableTheComposeFileReads_AndLeavesTheSecretsEmpty()
    {
        var compose = RepositoryFiles.Text("docker-compose.yml");
        var example = RepositoryFiles.Text(".env.example");
        var mentioned = ExampleVariable().Matches(example).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        foreach (Match variable in ComposeVariable().Matches(compose))
        {
            var name = variable.Groups["name"].Value;
            Assert.True(mentioned.Contains(name), $".env.example does not mention {name}");
            if (variable.Groups["op"].Value == ":?")
            {
                Assert.Matches($"(?m)^{name}=$", example);
            }
        }

        Assert.DoesNotMatch(@"(?m)^[A-Z_]*(PASSWORD|SECRET_KEY)=\S", example);
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Z][A-Z0-9_]*)(?<op>:[-?])")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"(?m)^#?\s?(?<name>[A-Z][A-Z0-9_]*)=")]
    private static partial Regex ExampleVariable();
}
