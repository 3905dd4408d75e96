using System.Text.RegularExpressions;

namespace QuikApp.Workers.Deployment.Tests.Helm;

/// <summary>
/// Light checks of the chart's templates as text: they are Go templates, not YAML, and no helm binary runs in CI.
/// What they refer to must exist, and the few lines that carry an invariant must be there.
/// </summary>
public sealed partial class ChartTemplateTests
{
    private static readonly YamlMap Values = RepositoryFiles.Yaml("helm/quikapp-workers/values.yaml");

    public static TheoryData<string> Templates() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryFiles.ChartDirectory, "templates")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    private static string Template(string name) => RepositoryFiles.Text($"helm/quikapp-workers/templates/{name}");

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_ReferencesOnlyValuesThatExist(string template)
    {
        var missing = ValuesReference().Matches(Template(template))
            .Select(m => m.Groups["path"].Value.TrimStart('.'))
            .Where(path => !Values.HasPath(path))
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, $"{template} reads values that values.yaml does not define: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_ReadsOnlyChartFilesThatExist_AndBalancesItsDelimiters(string template)
    {
        var text = Template(template);

        foreach (Match file in FilesGet().Matches(text))
        {
            Assert.True(File.Exists(Path.Combine(RepositoryFiles.ChartDirectory, file.Groups["file"].Value)), $"{template} reads a missing {file.Groups["file"].Value}");
        }

        Assert.Equal(Regex.Count(text, @"\{\{"), Regex.Count(text, @"\}\}"));
    }

    [Fact]
    public void WorkerDeployment_ProbesTheHealthEndpointsOnTheHealthPort_WithTheValuesSecurityAndGracePeriod()
    {
        var deployment = Template("deployment.yaml");

        Assert.Contains("containerPort: {{ $.Values.health.port }}", deployment, StringComparison.Ordinal);
        foreach (var probe in new[] { "startup", "liveness", "readiness" })
        {
            Assert.Matches($@"{probe}Probe:\s+httpGet:\s+path: \{{\{{ \$\.Values\.probes\.{probe}\.path \}}\}}\s+port: http", deployment);
        }

        Assert.Contains("terminationGracePeriodSeconds: {{ $.Values.shutdown.terminationGracePeriodSeconds }}", deployment, StringComparison.Ordinal);
        Assert.Contains("{{- toYaml $.Values.podSecurityContext | nindent 8 }}", deployment, StringComparison.Ordinal);
        Assert.Contains("{{- toYaml $.Values.securityContext | nindent 12 }}", deployment, StringComparison.Ordinal);
        Assert.Matches(@"- name: tmp\s+mountPath: /tmp", deployment);
        Assert.Contains("automountServiceAccountToken: false", deployment, StringComparison.Ordinal);
        // Settings come from the ConfigMap and the Secret, never from literal values in the template.
        Assert.Contains("configMapRef:", deployment, StringComparison.Ordinal);
        Assert.Contains("secretRef:", deployment, StringComparison.Ordinal);
    }

    [Fact]
    public void ClamdNetworkPolicy_AdmitsTheFilesWorkersOnly_OnClamdsPort()
    {
        var policies = Template("networkpolicy.yaml");
        var clamav = policies[policies.IndexOf("{{- if .Values.clamav.enabled }}", StringComparison.Ordinal)..];

        Assert.Contains("policyTypes: [Ingress]", clamav, StringComparison.Ordinal);
        Assert.Equal(["clamav", "clamav", "files"], ComponentNamed().Matches(clamav).Select(m => m.Groups["component"].Value).Order(StringComparer.Ordinal));
        Assert.Contains("- port: {{ .Values.clamav.port }}", clamav, StringComparison.Ordinal);
        Assert.Contains("{{- if .Values.networkPolicy.enabled }}", policies, StringComparison.Ordinal);
    }

    [Fact]
    public void FilesWorkers_AreToldWhereTheChartsClamdIs()
    {
        var configMap = Template("configmap.yaml");

        Assert.Contains("Files__Clamd__Host", configMap, StringComparison.Ordinal);
        Assert.Contains("\"component\" \"clamav\"", configMap, StringComparison.Ordinal);
        Assert.Contains("set $settings \"Health__Port\"", configMap, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalParts_AreGuardedByTheirSwitches()
    {
        Assert.StartsWith("{{- if .Values.metrics.serviceMonitor.enabled }}", Template("servicemonitor.yaml"), StringComparison.Ordinal);
        Assert.StartsWith("{{- if .Values.metrics.prometheusRule.enabled }}", Template("prometheusrule.yaml"), StringComparison.Ordinal);
        Assert.Contains("{{- if .Values.backup.enabled }}", Template("backup-cronjob.yaml"), StringComparison.Ordinal);
        Assert.Contains("include \"quikapp-workers.kedaScales\"", Template("scaledobject.yaml"), StringComparison.Ordinal);
        Assert.Contains("and .root.Values.autoscaling.keda.enabled", Template("_helpers.tpl"), StringComparison.Ordinal);
        // While KEDA scales a worker, the Deployment leaves replicas to it.
        Assert.Matches(@"if not \(include ""quikapp-workers\.kedaScales""[^\n]*\n\s+replicas:", Template("deployment.yaml"));
    }

    [Fact]
    public void BackupCronJob_RunsTheSeedsDumpThenUploadsAndKeepsRetentionDays()
    {
        var cronJob = Template("backup-cronjob.yaml");

        Assert.Contains(".Files.Get \"files/mongodb-backup-dump.sh\"", cronJob, StringComparison.Ordinal);
        Assert.Contains(".Files.Get \"files/mongodb-backup-upload.sh\"", cronJob, StringComparison.Ordinal);
        Assert.Contains("{{ .Values.backup.retentionDays | quote }}", cronJob, StringComparison.Ordinal);
        Assert.Contains("concurrencyPolicy: Forbid", cronJob, StringComparison.Ordinal);
        Assert.Contains("secretKeyRef:", cronJob, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\.Values(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\.Files\.Get ""(?<file>[^""]+)""")]
    private static partial Regex FilesGet();

    [GeneratedRegex(@"""component"" ""(?<component>[a-z]+)""")]
    private static partial Regex ComponentNamed();
}
