using System.Text.RegularExpressions;

namespace QuikApp.Workers.Deployment.Tests;

/// <summary>
/// Log message templates never use a property name the logging pipeline owns: Microsoft.Extensions.Logging and
/// Serilog add <c>EventId</c>, <c>SourceContext</c> and <c>Scope</c> themselves and overwrite ours (dead-letter logs
/// once showed the logger's event id instead of the event's; issue 12, defect 6).
/// </summary>
public sealed partial class LogTemplateRuleTests
{
    private static readonly string[] Reserved = ["EventId", "SourceContext", "Scope", "MessageTemplate", "RenderedMessage"];

    [Fact]
    public void LogTemplates_InSources_UseNoPropertyTheLoggingPipelineOwns()
    {
        var offenders = new List<string>();
        foreach (var folder in new[] { "src", "tools" })
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryFiles.PathOf(folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoryFiles.Root, file).Replace(Path.DirectorySeparatorChar, '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    foreach (Match placeholder in Placeholder().Matches(lines[i]))
                    {
                        if (Reserved.Contains(placeholder.Groups["name"].Value, StringComparer.OrdinalIgnoreCase) && IsLogTemplate(lines[i]))
                        {
                            offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                        }
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "log templates using a reserved property:\n" + string.Join('\n', offenders));
    }

    private static bool IsLogTemplate(string line) =>
        line.Contains("LoggerMessage", StringComparison.Ordinal) || line.Contains(".Log", StringComparison.Ordinal);

    [GeneratedRegex(@"\{@?(?<name>[A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?\}")]
    private static partial Regex Placeholder();
}
