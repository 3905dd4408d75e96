using MongoDB.Bson;
using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>A moderated chat history: messages and the reports moderators decided on them.</summary>
internal sealed record SyntheticDataset(IReadOnlyList<MessageContent> Messages, IReadOnlyList<ResolvedReport> Reports);

/// <summary>
/// Seeded, templated chat messages labelled the way moderators would: chat spam vs ordinary chat, and harassment vs
/// heated-but-acceptable chat. Templates overlap on purpose ("free for lunch?", "limited time left on the sprint",
/// "this code is garbage", paraphrased harassment the lexicon does not list), and a share of labels is flipped
/// (moderators disagree), so neither the bundled model nor the lexicon is perfect and a trained model has to learn.
/// </summary>
internal static class SyntheticModeration
{
    public static readonly DateTimeOffset FirstDecision = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The default cut-off: Sunday 2026-11-29 03:00 UTC, a slot of the weekly cron.</summary>
    public static readonly DateTimeOffset Cutoff = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    private static readonly string[] Names = ["Sam", "Alex", "Priya", "Jonas", "Mei", "Carlos", "Fatima", "Tom"];
    private static readonly string[] Meetings = ["standup", "the retro", "planning", "the 1:1", "the demo", "sprint review"];
    private static readonly string[] Things = ["build", "deploy", "PR", "migration", "test run", "pipeline", "release"];
    private static readonly string[] Topics = ["the login bug", "the billing page", "search", "the onboarding flow", "notifications", "the API docs"];
    private static readonly string[] Foods = ["ramen", "tacos", "the salad place", "pizza", "sushi"];
    private static readonly string[] Prizes = ["iPhone 15", "PS5", "$500 gift card", "MacBook", "Steam card"];
    private static readonly string[] Offers = ["cheap meds", "crypto signals", "casino bonus", "weight loss pills", "cheap followers"];
    private static readonly string[] Hosts = ["bit.ly", "tinyurl.com", "free-gift.example", "claim-now.example", "win-big.example"];

    private static readonly Func<Random, string>[] Ham =
    [
        r => $"can we move {Pick(r, Meetings)} to {r.Next(9, 17)}:{r.Next(0, 6)}0?",
        r => $"the {Pick(r, Things)} #{r.Next(10, 999)} is red again, I'll take a look after lunch",
        r => $"are you free for a quick call about {Pick(r, Topics)}?",
        r => $"pushed a fix for {Pick(r, Topics)}, PR is up: https://github.com/quikapp/web/pull/{r.Next(100, 999)}",
        r => $"free for lunch? thinking {Pick(r, Foods)}",
        r => $"click the link in the calendar invite to join {Pick(r, Meetings)}",
        r => $"thanks {Pick(r, Names)}! the {Pick(r, Things)} looks great",
        r => $"docs for {Pick(r, Topics)} are here https://docs.quikapp.example/{r.Next(1, 40)}",
        r => $"anyone have the slides from {Pick(r, Meetings)}?",
        r => $"limited time left on the sprint, let's wrap up {Pick(r, Topics)} first",
        r => $"offer letter for {Pick(r, Names)} is out, congrats!!",
        r => $"I won the office pool lol, drinks on me after {Pick(r, Meetings)}",
        r => $"{Pick(r, Names)} can you review my PR when you have a minute? it's the {Pick(r, Things)} one",
        r => $"heads up: {Pick(r, Things)} is blocked until {r.Next(1, 12)}pm, sorry",
    ];

    private static readonly Func<Random, string>[] Spam =
    [
        r => $"🔥 FREE {Pick(r, Prizes)} giveaway 🔥 claim now at https://{Pick(r, Hosts)}/{r.Next(1000, 9999)}",
        r => $"Earn ${r.Next(200, 900)} a day from home, DM me for details",
        r => $"join my {Pick(r, Offers)} group, {r.Next(5, 20)}x guaranteed https://{Pick(r, Hosts)}/join",
        r => $"check out my channel https://youtube.example/c/{r.Next(100, 999)} like and subscribe!!",
        r => $"get free nitro here https://{Pick(r, Hosts)}/nitro{r.Next(10, 99)}",
        r => $"hey {Pick(r, Names)}, I have an investment opportunity for you, message me privately",
        r => $"buy followers cheap, 1000 for ${r.Next(2, 20)} https://{Pick(r, Hosts)}",
        r => $"limited offer: {Pick(r, Offers)} {r.Next(10, 90)}% off, buy now",
        r => $"you have been selected for a reward, verify your account at https://{Pick(r, Hosts)}/verify",
        r => $"anyone want to make easy money? {r.Next(3, 9)}k per week, no experience, dm",
    ];

    private static readonly Func<Random, string>[] Toxic =
    [
        r => $"you are such an idiot {Pick(r, Names)}",
        r => $"shut up {Pick(r, Names)}, nobody asked you",
        r => $"nobody wants you here {Pick(r, Names)}, just leave",
        r => $"you're a waste of space, {Pick(r, Names)}",
        r => $"everyone in this channel hates you {Pick(r, Names)}",
        r => $"what a pathetic excuse for a developer you are",
        r => $"you're worthless and everyone knows it {Pick(r, Names)}",
        r => $"do us all a favour and disappear {Pick(r, Names)}",
        r => $"go back to where you came from {Pick(r, Names)}",
        r => $"{Pick(r, Names)} you should be ashamed to even show your face here",
    ];

    private static readonly Func<Random, string>[] Acceptable =
    [
        r => $"I strongly disagree with {Pick(r, Names)} on {Pick(r, Topics)}",
        r => $"this {Pick(r, Things)} script is garbage, let's rewrite it",
        r => $"that stupid printer jammed again before {Pick(r, Meetings)}",
        r => $"I'll kill the {Pick(r, Things)} and restart it",
        r => $"{Pick(r, Topics)} is killing me today",
        r => $"please stop posting memes in the {Pick(r, Meetings)} thread",
        r => $"you're wrong about the deadline {Pick(r, Names)}, it's friday",
        r => $"lol {Pick(r, Names)} you're the worst at mario kart 😂",
        r => $"honestly the new {Pick(r, Topics)} design is ugly, can we revisit",
        r => $"{Pick(r, Names)} leave the {Pick(r, Things)} alone until I'm back",
    ];

    /// <summary>
    /// <paramref name="spamPerClass"/> spam and as many ordinary messages reported as spam; <paramref name="toxicPerClass"/>
    /// harassing and as many acceptable messages reported for harassment or as inappropriate; plus reports that must not
    /// count (pending, reviewed, reason other) and messages deleted by their author.
    /// </summary>
    public static SyntheticDataset Create(int spamPerClass, int toxicPerClass, int seed, double labelNoise = 0.05)
    {
        var random = new Random(seed);
        var messages = new List<MessageContent>();
        var reports = new List<ResolvedReport>();
        var clock = FirstDecision;
        var idCounter = seed * 1_000_000;

        void Add(Func<Random, string>[] templates, bool violates, string reason, bool authorDeletes)
        {
            var messageId = NextId(ref idCounter);
            var actioned = random.NextDouble() < labelNoise ? !violates : violates;
            var action = actioned ? (random.Next(2) == 0 ? ModerationLabels.DeleteAction : "warn") : null;
            clock = clock.AddMinutes(random.Next(1, 30));
            var deleted = action == ModerationLabels.DeleteAction || authorDeletes;
            messages.Add(new MessageContent(messageId, Pick(random, templates)(random), deleted, null));
            reports.Add(new ResolvedReport(NextId(ref idCounter), messageId, reason,
                actioned ? ModerationLabels.Actioned : ModerationLabels.Dismissed, action, clock));
            // Some messages are reported again and still pending: the decision above must stand.
            if (random.Next(10) == 0)
            {
                reports.Add(new ResolvedReport(NextId(ref idCounter), messageId, reason, "pending", null, clock.AddMinutes(5)));
            }
        }

        for (var i = 0; i < spamPerClass; i++)
        {
            Add(Spam, violates: true, "spam", authorDeletes: false);
            Add(Ham, violates: false, "spam", authorDeletes: false);
        }

        for (var i = 0; i < toxicPerClass; i++)
        {
            Add(Toxic, violates: true, random.Next(3) == 0 ? "inappropriate" : "harassment", authorDeletes: false);
            Add(Acceptable, violates: false, "harassment", authorDeletes: false);
        }

        // Noise the labels must ignore: reviewed without a verdict, reason other, and a withdrawn message.
        for (var i = 0; i < 5; i++)
        {
            Add(Ham, violates: false, "other", authorDeletes: false);
            var messageId = NextId(ref idCounter);
            messages.Add(new MessageContent(messageId, Pick(random, Ham)(random), false, null));
            reports.Add(new ResolvedReport(NextId(ref idCounter), messageId, "spam", "reviewed", null, clock));
            Add(Spam, violates: true, "spam", authorDeletes: true);
        }

        return new SyntheticDataset(messages, reports);
    }

    /// <summary>Labelled texts of one task drawn from the same templates, for experiments that bypass reports.</summary>
    public static List<(string Text, bool IsPositive)> Texts(ModelKind kind, int perClass, int seed)
    {
        var random = new Random(seed);
        var (positive, negative) = kind == ModelKind.Spam ? (Spam, Ham) : (Toxic, Acceptable);
        var texts = new List<(string, bool)>(perClass * 2);
        for (var i = 0; i < perClass; i++)
        {
            texts.Add((Pick(random, positive)(random), true));
            texts.Add((Pick(random, negative)(random), false));
        }

        return texts;
    }

    private static ObjectId NextId(ref int counter)
    {
        counter++;
        var bytes = new byte[12];
        BitConverter.GetBytes(counter).CopyTo(bytes, 8);
        bytes[0] = 0x65;
        return new ObjectId(bytes);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
