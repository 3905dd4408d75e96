using System.Text.RegularExpressions;

namespace QuikApp.Workers.Deployment.Tests;

/// <summary>
/// Read preference is decided once, in <c>MongoCatalog</c> (docs/mongodb.md, "Read preference"): no other source file
/// chooses one, so no store can read a secondary by accident or by intent without changing the catalog and its table.
/// </summary>
public sealed partial class ReadPreferenceRuleTests
{
    private static readonly string[] Allowed =
    [
        "src/Shared/Mongo/MongoCatalog.cs",
        "src/Shared/Mongo/MongoClientFactory.cs",
    ];

    [Fact]
    public void Sources_OutsideTheCatalog_ChooseNoReadPreference()
    {
        var offenders = new List<string>();
        foreach (var folder in new[] { "src", "tools" })
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryFiles.PathOf(folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoryFiles.Root, file).Replace(Path.DirectorySeparatorChar, '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal) ||
                    Allowed.Contains(relative))
                {
                    continue;
                }

                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (ChoosesReadPreference().IsMatch(lines[i]))
                    {
                        offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "read preference chosen outside MongoCatalog:\n" + string.Join('\n', offenders));
    }

    [GeneratedRegex(@"WithReadPreference\s*\(|\bReadPreference\s*\.\s*(Primary|PrimaryPreferred|Secondary|SecondaryPreferred|Nearest)\b|new\s+ReadPreference\s*\(|ReadPreference\s*=")]
    private static partial Regex ChoosesReadPreference();
}
