using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Health;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Deployment.Tests.Helm;

/// <summary>
/// Chart.yaml and values.yaml of helm/quikapp-workers, checked against the code they deploy. There is no helm binary
/// in CI: these read the values; <see cref="ChartTemplateTests"/> checks the templates' text and
/// <see cref="RenderedChartTests"/> the rendered manifests where a helm binary is available.
/// </summary>
public sealed class ChartValuesTests
{
    private static readonly YamlMap Values = RepositoryFiles.Yaml("helm/quikapp-workers/values.yaml");

    private static readonly string[] WorkerNames = ["analytics", "files", "moderation"];

    [Fact]
    public void Chart_IsAnApplicationChartOfApiVersion2WithSemanticVersions()
    {
        var chart = RepositoryFiles.Yaml("helm/quikapp-workers/Chart.yaml");

        Assert.Equal("v2", chart.Required("apiVersion"));
        Assert.Equal("quikapp-workers", chart.Required("name"));
        Assert.Equal("application", chart.Required("type"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", chart.Required("version"));
        Assert.False(string.IsNullOrWhiteSpace(chart.Scalar("appVersion")));
        Assert.False(string.IsNullOrWhiteSpace(chart.Scalar("description")));
    }

    [Fact]
    public void Workers_AreTheRepositorysWorkers_AllEnabled()
    {
        var fromSources = Directory.GetDirectories(RepositoryFiles.PathOf("src"), "Workers.*")
            .Select(d => Path.GetFileName(d)["Workers.".Length..].ToLowerInvariant())
            .Order(StringComparer.Ordinal);

        Assert.Equal(fromSources, Values.Map("workers").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(WorkerNames, Values.Map("workers").Keys.Order(StringComparer.Ordinal));
        Assert.All(WorkerNames, w => Assert.True(Values.Map("workers").Map(w).Bool("enabled"), $"{w} is disabled by default"));
    }

    [Fact]
    public void Probes_AskLivenessAndReadinessOfTheWorkersHealthEndpoints_OnTheContainerPort()
    {
        var probes = Values.Map("probes");

        Assert.Equal("/health/live", probes.Map("liveness").Required("path"));
        Assert.Equal("/health/ready", probes.Map("readiness").Required("path"));
        Assert.Equal("/health/live", probes.Map("startup").Required("path"));
        // The port every container listens on: what the image sets (Dockerfile) and the Health:Port default.
        Assert.Equal(8080, Values.Map("health").Int("port"));
        Assert.Equal(new HealthOptions().Port, Values.Map("health").Int("port"));
        Assert.Contains("Health__Port=8080", RepositoryFiles.Text("Dockerfile"), StringComparison.Ordinal);
    }

    [Fact]
    public void TerminationGracePeriod_OutlastsTheHostShutdownBudget_WhichOutlastsTheConsumersDrain()
    {
        var shutdown = Values.Map("shutdown");
        var builder = WebApplication.CreateBuilder(["--Kafka:BootstrapServers=embedded"]);
        builder.AddQuikAppWorkerDefaults("chart-test");
        using var app = builder.Build();
        var hostShutdown = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        var drain = new EventConsumerOptions().ShutdownDrainTimeout;

        Assert.Equal(drain.TotalSeconds, shutdown.Int("drainTimeoutSeconds"));
        Assert.Equal(hostShutdown.TotalSeconds, shutdown.Int("hostShutdownTimeoutSeconds"));
        Assert.True(shutdown.Int("terminationGracePeriodSeconds") > hostShutdown.TotalSeconds,
            "terminationGracePeriodSeconds must exceed the host's shutdown timeout, or Kubernetes kills a draining worker");
        Assert.True(hostShutdown > drain);
    }

    [Fact]
    public void SecurityContext_IsNonRootReadOnlyRootWithoutPrivilegeEscalationOrCapabilities()
    {
        var pod = Values.Map("podSecurityContext");
        var container = Values.Map("securityContext");

        Assert.True(pod.Bool("runAsNonRoot"));
        Assert.Equal(1654, pod.Int("runAsUser")); // the .NET images' "app" user, USER $APP_UID in the Dockerfile
        Assert.Equal("RuntimeDefault", pod.Map("seccompProfile").Required("type"));
        Assert.True(container.Bool("runAsNonRoot"));
        Assert.True(container.Bool("readOnlyRootFilesystem"));
        Assert.False(container.Bool("allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], container.Map("capabilities").List("drop").Cast<string>());
        Assert.False(string.IsNullOrWhiteSpace(Values.Map("tmpVolume").Scalar("sizeLimit")));
    }

    [Fact]
    public void EveryWorker_HasResourcesAndADisruptionBudget()
    {
        foreach (var name in WorkerNames)
        {
            var worker = Values.Map("workers").Map(name);
            Assert.True(worker.Int("replicas") >= 1, $"{name}: replicas");
            Assert.False(string.IsNullOrWhiteSpace(worker.Map("resources").Map("requests").Scalar("memory")), $"{name}: memory request");
            Assert.False(string.IsNullOrWhiteSpace(worker.Map("resources").Map("limits").Scalar("memory")), $"{name}: memory limit");
            Assert.Equal(1, worker.Map("podDisruptionBudget").Int("maxUnavailable"));
        }
    }

    [Fact]
    public void ConsumingWorkers_NameTheirDefaultGroupAndConsumedContractTopics()
    {
        foreach (var name in WorkerNames)
        {
            var worker = Values.Map("workers").Map(name);
            var topics = worker.List("topics").Cast<string>().ToList();
            if (topics.Count == 0)
            {
                Assert.True(string.IsNullOrEmpty(worker.Scalar("consumerGroup")), $"{name} consumes nothing but names a group");
                continue;
            }

            Assert.Equal(new WorkerIdentity(name, "x").DefaultGroupId, worker.Required("consumerGroup"));
            Assert.All(topics, t => Assert.Equal(TopicRole.Consumed, EventTopics.Find(t)?.Role));
            // KEDA never goes past the partitions of a worker's topics; a larger maximum would only mislead.
            Assert.InRange(worker.Map("autoscaling").Int("maxReplicas"), worker.Map("autoscaling").Int("minReplicas"), topics.Max(t => EventTopics.Find(t)!.Partitions));
        }
    }

    [Fact]
    public void DotNetSettings_SizeTheRuntimeToThePod_AndWriteGcPercentagesInHex()
    {
        Assert.True(Values.Map("dotnet").Bool("processorCountFromCpuRequest"));
        Assert.Contains("resource: requests.cpu", RepositoryFiles.Text("helm/quikapp-workers/templates/deployment.yaml"), StringComparison.Ordinal);
        foreach (var name in WorkerNames)
        {
            // .NET reads DOTNET_GC* numbers as hexadecimal: "50" would mean 80%.
            if (Values.Map("workers").Map(name).Map("env").Scalar("DOTNET_GCHeapHardLimitPercent") is { } percent)
            {
                Assert.Matches("^0x[0-9A-Fa-f]+$", percent);
                Assert.InRange(Convert.ToInt32(percent, 16), 20, 90);
            }
        }
    }

    [Fact]
    public void Keda_IsOffByDefault()
    {
        Assert.False(Values.Map("autoscaling").Map("keda").Bool("enabled"));
    }

    [Fact]
    public void Clamd_IsDeployedAndFencedByDefault()
    {
        Assert.True(Values.Map("clamav").Bool("enabled"));
        Assert.True(Values.Map("networkPolicy").Bool("enabled"));
        Assert.Equal(3310, Values.Map("clamav").Int("port"));
        Assert.True(Values.Map("clamav").Map("securityContext").Bool("readOnlyRootFilesystem"));
        Assert.False(Values.Map("clamav").Map("securityContext").Bool("allowPrivilegeEscalation"));
    }

    [Fact]
    public void Backup_IsOffByDefault_KeepsFourteenDays_AndDumpsEveryQuikAppDatabase()
    {
        var backup = Values.Map("backup");
        var mongo = new MongoOptions();
        string[] databases =
        [
            mongo.MessagesDatabase, mongo.ModerationDatabase, mongo.MlDatabase, mongo.SmartReplyDatabase, mongo.FilesDatabase, mongo.AnalyticsDatabase,
        ];

        Assert.False(backup.Bool("enabled"));
        Assert.Equal(14, backup.Int("retentionDays"));
        Assert.Equal(databases, backup.List("databases").Cast<string>());
        // The scripts' own default list (compose runs them without the chart) and the compose MongoDB users' grants.
        Assert.Contains($"BACKUP_DATABASES:-{string.Join(' ', databases)}", RepositoryFiles.Text("helm/quikapp-workers/files/mongodb-backup-dump.sh"), StringComparison.Ordinal);
        Assert.All(databases, d => Assert.Contains($"'{d}'", RepositoryFiles.Text("deploy/mongodb/init-replica-set.js"), StringComparison.Ordinal));
        Assert.Contains("RETENTION_DAYS:-14", RepositoryFiles.Text("helm/quikapp-workers/files/mongodb-backup-upload.sh"), StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_ServiceMonitorAndRulesAreOptIn_AndTheRulesFileIsThere()
    {
        Assert.False(Values.Map("metrics").Map("serviceMonitor").Bool("enabled"));
        Assert.False(Values.Map("metrics").Map("prometheusRule").Bool("enabled"));
        var rules = RepositoryFiles.Yaml("helm/quikapp-workers/files/alerts.yml");
        var alerts = rules.List("groups").Cast<Dictionary<object, object>>()
            .SelectMany(g => (List<object>)g["rules"]).Cast<Dictionary<object, object>>().Select(r => (string)r["alert"]).ToList();

        Assert.Contains("QuikAppConsumerLagHigh", alerts);
        Assert.Contains("QuikAppEventsDeadLettered", alerts);
        Assert.Contains("QuikAppJobFailed", alerts);
    }

    [Fact]
    public void SecretSettings_AreNeverCreatedFromValuesByDefault()
    {
        Assert.False(Values.Map("secrets").Bool("create"));
        Assert.Empty(Values.Map("secrets").Map("values").Keys);
        Assert.DoesNotContain(Values.Map("config").Keys, k => k.Contains("Password", StringComparison.OrdinalIgnoreCase)
            || k.Contains("SecretKey", StringComparison.OrdinalIgnoreCase) || k == "Mongo__ConnectionString");
    }
}
