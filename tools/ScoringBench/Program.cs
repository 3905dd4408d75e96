using System.Diagnostics;
using System.Globalization;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Profanity;
using QuikApp.Workers.Moderation.Scoring.Text;
using QuikApp.Workers.Moderation.Scoring.Toxicity;

// Usage:
//   dotnet run -c Release --project tools/ScoringBench -- bench [corpus.txt ...]   messages/second on one core
//   dotnet run -c Release --project tools/ScoringBench -- explain "some message"   what the normaliser and checks see
var startup = Stopwatch.StartNew();
var profanity = ProfanityCheck.CreateBuiltIn();
var toxicity = ToxicityLexiconCheck.CreateBuiltIn();
startup.Stop();

if (args.Length >= 2 && args[0] == "explain")
{
    var text = TextNormalizer.Normalize(args[1]);
    Console.WriteLine($"normalised: {text.Text}");
    foreach (var token in text.Tokens)
    {
        Console.WriteLine($"  {token.Value,-20} alt={token.Alternate ?? "-",-12} elongated={token.Elongated,-5} clauseEnd={token.EndsClause,-5} original={token.Original} \"{args[1][token.Original.Start..token.Original.End]}\"");
    }

    Print("profanity", profanity.Score(text));
    Print("toxicity", toxicity.Score(text));
    return 0;
}

if (args.Length >= 1 && args[0] == "bench")
{
    var messages = args.Skip(1).SelectMany(File.ReadLines)
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .ToList();
    if (messages.Count == 0)
    {
        Console.Error.WriteLine("bench needs at least one corpus file with messages, one per line");
        return 2;
    }

    Console.WriteLine($"lexicons loaded and matchers built in {startup.ElapsedMilliseconds} ms");
    Console.WriteLine($"{messages.Count} distinct messages, mean {messages.Average(m => m.Length):F0} chars");
    Run("normalise only", messages, m => TextNormalizer.Normalize(m));
    Run("normalise + profanity + toxicity (shared normalisation)", messages, m =>
    {
        var text = TextNormalizer.Normalize(m);
        profanity.Score(text);
        toxicity.Score(text);
    });
    Run("profanity.Score(input) + toxicity.Score(input)", messages, m =>
    {
        var input = new ScoringInput(m);
        profanity.Score(input);
        toxicity.Score(input);
    });
    return 0;
}

Console.Error.WriteLine("usage: bench <corpus files...> | explain \"message\"");
return 2;

static void Print(string name, CheckResult result) =>
    Console.WriteLine($"{name}: {result.Score.ToString("F4", CultureInfo.InvariantCulture)} [{string.Join(", ", result.Signals)}]");

static void Run(string name, List<string> messages, Action<string> score)
{
    // Warm up (JIT tiers, the per-character fold cache), then time whole passes for ~3 s on this thread.
    for (var i = 0; i < 20; i++)
    {
        messages.ForEach(score);
    }

    var count = 0L;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < TimeSpan.FromSeconds(3))
    {
        messages.ForEach(score);
        count += messages.Count;
    }

    watch.Stop();
    var perSecond = count / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"{name}: {perSecond:N0} messages/s ({1e6 / perSecond:F1} µs each)");
}
