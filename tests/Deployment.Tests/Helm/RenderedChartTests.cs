using System.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace QuikApp.Workers.Deployment.Tests.Helm;

/// <summary>
/// The chart rendered by a real helm (<c>helm template</c>, <c>helm lint --strict</c>) and checked as Kubernetes objects.
/// CI has no helm binary: these run where one is on PATH or named by <c>QUIKAPP_TEST_HELM</c>, and are skipped with
/// that reason elsewhere (docs/operations.md, "Helm chart").
/// </summary>
public sealed class RenderedChartTests
{
    private const string HelmVariable = "QUIKAPP_TEST_HELM";

    private static string? FindHelm()
    {
        if (Environment.GetEnvironmentVariable(HelmVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"{HelmVariable} names no file", configured);
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "helm"))
            .FirstOrDefault(File.Exists);
    }

    private static string Helm(params string[] arguments)
    {
        var helm = FindHelm();
        Assert.SkipWhen(helm is null, $"no helm binary (put one on PATH or set {HelmVariable}); the chart's values and templates are still checked as text");
        var start = new ProcessStartInfo(helm!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"helm {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        return output.Result;
    }

    private static List<Dictionary<object, object>> Render(params string[] extra)
    {
        var manifest = Helm(["template", "qa", RepositoryFiles.ChartDirectory, "--namespace", "quikapp", .. extra]);
        var parser = new Parser(new StringReader(manifest));
        var deserializer = new DeserializerBuilder().Build();
        var objects = new List<Dictionary<object, object>>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (deserializer.Deserialize<object>(parser) is Dictionary<object, object> document)
            {
                objects.Add(document);
            }
        }

        return objects;
    }

    private static string AllFeatures => RepositoryFiles.PathOf("tests/Deployment.Tests/Helm/values-all-features.yaml");

    private static YamlMap Map(Dictionary<object, object> document) => new(document, (string)document["kind"]);

    private static IEnumerable<YamlMap> OfKind(List<Dictionary<object, object>> objects, string kind) =>
        objects.Where(o => (string)o["kind"] == kind).Select(Map);

    private static string Component(YamlMap resource) => resource.Map("metadata").Map("labels").Required("app.kubernetes.io/component");

    [Fact(Timeout = 60_000)]
    public void Lint_Strict_PassesWithDefaultsAndWithEveryOptionalPartOn()
    {
        Helm("lint", "--strict", RepositoryFiles.ChartDirectory);
        Helm("lint", "--strict", RepositoryFiles.ChartDirectory, "-f", AllFeatures);
    }

    [Fact(Timeout = 60_000)]
    public void Defaults_RenderTheWorkersAndClamdWithoutAnyOptionalPart()
    {
        var objects = Render();
        var kinds = objects.GroupBy(o => (string)o["kind"]).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(4, kinds["Deployment"]);
        Assert.Equal(3, kinds["PodDisruptionBudget"]);
        Assert.Equal(4, kinds["NetworkPolicy"]);
        Assert.DoesNotContain("ScaledObject", kinds.Keys);
        Assert.DoesNotContain("CronJob", kinds.Keys);
        Assert.DoesNotContain("ServiceMonitor", kinds.Keys);
        Assert.DoesNotContain("PrometheusRule", kinds.Keys);
        Assert.DoesNotContain("Secret", kinds.Keys);
    }

    [Fact(Timeout = 60_000)]
    public void WorkerDeployments_ProbeTheHealthEndpoints_RunNonRootReadOnly_AndOutlastTheDrain()
    {
        var workers = OfKind(Render(), "Deployment").Where(d => Component(d) != "clamav").ToList();

        Assert.Equal(["analytics", "files", "moderation"], workers.Select(Component).Order(StringComparer.Ordinal));
        foreach (var deployment in workers)
        {
            var pod = deployment.Map("spec").Map("template").Map("spec");
            var container = new YamlMap((Dictionary<object, object>)Assert.Single(pod.List("containers")), "container");
            var port = new YamlMap((Dictionary<object, object>)Assert.Single(container.List("ports")), "port");
            Assert.Equal(("http", 8080), (port.Required("name"), port.Int("containerPort")));
            Assert.Equal("/health/live", container.Map("livenessProbe").Map("httpGet").Required("path"));
            Assert.Equal("/health/ready", container.Map("readinessProbe").Map("httpGet").Required("path"));
            Assert.Equal("http", container.Map("readinessProbe").Map("httpGet").Required("port"));
            Assert.True(pod.Int("terminationGracePeriodSeconds") > 45);
            Assert.True(pod.Map("securityContext").Bool("runAsNonRoot"));
            Assert.True(container.Map("securityContext").Bool("readOnlyRootFilesystem"));
            Assert.False(container.Map("securityContext").Bool("allowPrivilegeEscalation"));
            Assert.Contains(container.List("volumeMounts").Cast<Dictionary<object, object>>(), m => (string)m["mountPath"] == "/tmp");
            Assert.True(deployment.Map("spec").Has("replicas"));
        }
    }

    [Fact(Timeout = 60_000)]
    public void ClamdNetworkPolicy_AdmitsOnlyTheFilesWorkers()
    {
        var policy = OfKind(Render(), "NetworkPolicy").Single(p => Component(p) == "clamav");
        var rule = new YamlMap((Dictionary<object, object>)Assert.Single(policy.Map("spec").List("ingress")), "ingress");
        var peer = new YamlMap((Dictionary<object, object>)Assert.Single(rule.List("from")), "from");

        Assert.Equal("files", peer.Map("podSelector").Map("matchLabels").Required("app.kubernetes.io/component"));
        Assert.Equal("3310", new YamlMap((Dictionary<object, object>)Assert.Single(rule.List("ports")), "port").Required("port"));
    }

    [Fact(Timeout = 60_000)]
    public void EveryOptionalPartOn_RendersKedaForConsumingWorkersOnly_TheBackupCronJob_AndTheMonitoring()
    {
        var objects = Render("-f", AllFeatures);

        var scaled = OfKind(objects, "ScaledObject").ToList();
        Assert.Equal(["files", "moderation"], scaled.Select(Component).Order(StringComparer.Ordinal));
        Assert.Equal(3, scaled.Single(s => Component(s) == "moderation").Map("spec").List("triggers").Count);
        Assert.All(OfKind(objects, "Deployment").Where(d => Component(d) is "files" or "moderation"), d => Assert.False(d.Map("spec").Has("replicas")));
        var cronJob = Assert.Single(OfKind(objects, "CronJob"));
        Assert.Equal("Forbid", cronJob.Map("spec").Required("concurrencyPolicy"));
        Assert.Single(OfKind(objects, "ServiceMonitor"));
        Assert.Single(OfKind(objects, "PrometheusRule"));
    }
}
