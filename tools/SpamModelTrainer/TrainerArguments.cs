using System.Globalization;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Tools.SpamModel;

/// <summary>The trainer's command line, with paths defaulting to the repository's committed locations.</summary>
internal sealed record TrainerArguments(string RepoRoot, string DataPath, string OutputDirectory, int Seed, bool Compare)
{
    /// <summary>The seed the committed model was trained with; changing it changes the split and the model.</summary>
    public const int DefaultSeed = 20251125;

    public const string Usage = "usage: SpamModelTrainer [--compare] [--seed N] [--data FILE.tsv.gz] [--out DIR]";

    public static TrainerArguments? Parse(string[] args)
    {
        var root = FindRepoRoot();
        var data = Path.Combine(root, SpamCorpus.RelativePath);
        var output = Path.Combine(root, "src/Workers.Moderation/Data/Models");
        var seed = DefaultSeed;
        var compare = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--compare":
                    compare = true;
                    break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out seed):
                    i++;
                    break;
                case "--data" when i + 1 < args.Length:
                    data = Path.GetFullPath(args[++i]);
                    break;
                case "--out" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                default:
                    return null;
            }
        }

        return new TrainerArguments(root, data, output, seed, compare);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QuikApp.Workers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the trainer from inside the repository (no QuikApp.Workers.sln above the current directory)");
    }
}
