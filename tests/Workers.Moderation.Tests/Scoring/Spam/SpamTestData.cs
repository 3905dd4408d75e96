using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

/// <summary>What the spam specifications share: the bundled model (loaded once) and a small synthetic chat corpus.</summary>
internal static class SpamTestData
{
    private static readonly Lazy<SpamClassifier> Bundled = new(BundledSpamModel.Load);

    public static SpamClassifier BundledClassifier => Bundled.Value;

    public static string CorpusPath => Path.Combine(AppContext.BaseDirectory, "Data", "Spam", "spamassassin.tsv.gz");

    public static string ChatSmokePath => Path.Combine(AppContext.BaseDirectory, "Data", "Spam", "chat-smoke.tsv");

    public static string ModelPath => Path.Combine(AppContext.BaseDirectory, "Data", "Models", "spam-model.zip");

    public static readonly string[] ObviousSpam =
    [
        "WIN A FREE iPhone!!! click http://free-prizes.example.com/claim now, limited offer",
        "Congratulations! You have been selected to receive $1,000 CASH. Click here to claim your prize today!!!",
        "Lose 30 pounds in 30 days, 100% guaranteed, order now at http://diet.example.biz and get a FREE bonus",
        "Make money fast from home!!! Earn $5000 a week, no experience needed. Reply REMOVE to unsubscribe",
    ];

    public static readonly string[] ObviousHam =
    [
        "can we move standup to 10?",
        "I pushed the fix for the login bug, could you review the PR when you have a minute?",
        "lunch at the usual place? I'm leaving in five",
        "the deploy to staging failed again, looks like a missing env var",
    ];

    /// <summary>Templated chat-like spam and ham, seeded; easy to separate, so a working pipeline scores it near perfectly.</summary>
    public static List<(string Text, bool IsSpam)> Synthetic(int count, int seed)
    {
        string[] prizes = ["iPhone", "gift card", "cruise", "laptop", "cash prize"];
        string[] offers = ["cheap meds", "crypto signals", "casino bonus", "weight loss pills", "work from home"];
        string[] meetings = ["standup", "the retro", "planning", "the 1:1", "the demo"];
        string[] things = ["build", "deploy", "PR", "migration", "test run"];
        var random = new Random(seed);
        var examples = new List<(string, bool)>(count);
        for (var i = 0; i < count; i++)
        {
            var n = random.Next(10, 999);
            examples.Add((i % 4) switch
            {
                0 => ($"WIN a FREE {prizes[random.Next(prizes.Length)]}!!! click http://win{n}.example.com now", true),
                1 => ($"Limited offer: {offers[random.Next(offers.Length)]} {n}% off, buy now, click here http://deal{n}.example.biz", true),
                2 => ($"can we move {meetings[random.Next(meetings.Length)]} to {random.Next(9, 17)}:{random.Next(0, 6)}0?", false),
                _ => ($"the {things[random.Next(things.Length)]} #{n} is red again, I'll take a look after lunch", false),
            });
        }

        return examples;
    }
}
