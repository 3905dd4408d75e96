using System.Globalization;

namespace QuikApp.Workers.Fleet.Workload;

/// <summary>What the workload's users write: everyday chat, spam, abuse, and what edits turn a message into.</summary>
internal static class ChatPhrases
{
    private static readonly string[] Everyday =
    [
        "morning all, standup moves to {time} today", "can someone review my PR #{n} when they have a minute?",
        "the staging deploy finished in {n} minutes", "lunch at the noodle place at {time}?", "thanks, that fixed it for me",
        "I'll be {n} minutes late to the sync", "who owns the flaky test in the payments suite?", "lgtm, merging once CI is green",
        "notes from the retro are in the team doc", "is anyone else seeing slow builds since this morning?",
        "the customer call moved to {time}, same link", "great work on the release everyone", "ping me when you're back",
        "does the on-call rota for next week look right?", "I pushed a fix for ticket {n}, please retest",
        "coffee run in five, anyone?", "the dashboard is green again after the rollback", "happy birthday {name}!",
        "can we move the planning meeting to {day}?", "new hire {name} starts on {day}, please say hi",
        "the benchmark numbers are up {n}% since last week", "where do we keep the design mockups?",
        "heads up: the VPN certificate renews on {day}", "I'm out on {day}, {name} covers for me",
        "what's the password policy for the new service accounts?", "the invoice export is fixed in build {n}",
        "remind me, which region is the replica in?", "sounds good to me", "+1", "on it",
    ];

    private static readonly string[] LinkSpam =
    [
        "WIN A FREE iPhone!!! claim yours at http://bit.ly/{code} before midnight",
        "free crypto airdrop, connect your wallet at https://tinyurl.com/{code} now!!!",
        "earn $500 a day from home, details at http://bit.ly/{code} and https://tinyurl.com/{code}x",
        "join discord.gg/{code} for free nitro and giveaways", "CHEAP followers and likes at http://cutt.ly/{code} limited offer",
    ];

    private static readonly string[] Flood =
    [
        "BUY NOW limited offer http://bit.ly/{code}", "check out my channel!!! http://tinyurl.com/{code}",
        "dm me for the deal dm me for the deal", "FREE GIFT CARDS click here http://cutt.ly/{code}",
    ];

    private static readonly string[] Abuse =
    [
        "you are a worthless idiot", "shut up you moron", "what the fuck is this shit", "kill yourself {name}",
        "nobody wants you here, loser", "f.u.c.k you and your stupid ideas", "i know where you live", "this is bullshit and you know it",
        "you're such a pathetic waste of space", "go to hell {name}",
    ];

    private static readonly string[] Names = ["Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"];

    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

    public static string EverydayText(Random random) => Fill(Pick(random, Everyday), random);

    public static string LinkSpamText(Random random) => Fill(Pick(random, LinkSpam), random);

    public static string FloodText(Random random) => Fill(Pick(random, Flood), random);

    public static string AbuseText(Random random) => Fill(Pick(random, Abuse), random);

    /// <summary>The text of a mention-abuse message (sent with many mentions and @everyone).</summary>
    public static string MentionAbuseText(Random random) =>
        Fill(Pick(random, ["@everyone look at this!!", "everyone needs to see this right now", "wake up people, read this"]), random);

    /// <summary>An edit: usually a correction of the original, sometimes an insult written in afterwards.</summary>
    public static string EditText(Random random, string original) =>
        random.NextDouble() < 0.3 ? AbuseText(random) : $"{original} (edit: typo fixed)";

    private static string Pick(Random random, string[] pool) => pool[random.Next(pool.Length)];

    private static string Fill(string template, Random random) => template
        .Replace("{time}", string.Create(CultureInfo.InvariantCulture, $"{random.Next(8, 18)}:{random.Next(0, 4) * 15:00}"), StringComparison.Ordinal)
        .Replace("{n}", random.Next(2, 999).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{name}", Pick(random, Names), StringComparison.Ordinal)
        .Replace("{day}", Pick(random, Days), StringComparison.Ordinal)
        .Replace("{code}", Code(random), StringComparison.Ordinal);

    private static string Code(Random random)
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        return string.Create(6, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }
}
