using MongoDB.Bson;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Tools.ModerationBenchmark;

/// <summary>A seeded mix of chat traffic: mostly ordinary chat, some spam (links, mention abuse, floods) and abuse.</summary>
internal static class ChatTraffic
{
    private static readonly string[] Clean =
    [
        "can we move standup to {0}?", "lgtm, merging after CI", "who has the notes from the {0} retro", "lunch at {0}?",
        "the deploy to staging finished in {0} minutes", "thanks! that fixed it", "I'll be {0} minutes late", "see PR #{0}",
        "great work on the release everyone", "is the build broken or is it just me", "ping me when you're back", "+1",
    ];

    private static readonly string[] Spam =
    [
        "WIN A FREE iPhone!!! click http://bit.ly/{0} now", "FREE crypto giveaway, claim at https://tinyurl.com/{0}",
        "make $$$ from home!!! DM me {0}", "join my server discord.gg/{0} free nitro",
    ];

    private static readonly string[] Abuse =
    [
        "you are a worthless idiot", "shut up you moron", "what the f.u.c.k is this sh1t {0}", "kill yourself {0}",
    ];

    /// <summary>Message texts with their sender and channel; <paramref name="distinct"/> bounds how many different texts there are.</summary>
    public static List<MessageSent> Generate(int count, int distinct, int seed)
    {
        var random = new Random(seed);
        var channels = Enumerable.Range(0, 200).Select(_ => new Guid(random.NextBytes(16))).ToArray();
        var users = Enumerable.Range(0, 2_000).Select(_ => new Guid(random.NextBytes(16))).ToArray();
        var workspaces = Enumerable.Range(0, 20).Select(_ => new Guid(random.NextBytes(16))).ToArray();
        var texts = Enumerable.Range(0, distinct).Select(i =>
        {
            var roll = random.NextDouble();
            var pool = roll < 0.85 ? Clean : roll < 0.95 ? Spam : Abuse;
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, pool[random.Next(pool.Length)], i);
        }).ToArray();
        var start = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var mentions = random.NextDouble() < 0.02 ? 20 : random.Next(3);
            return new MessageSent(ObjectId.GenerateNewId(), channels[random.Next(channels.Length)], workspaces[random.Next(workspaces.Length)],
                users[random.Next(users.Length)], texts[random.Next(texts.Length)], MessageContentType.Text, null,
                [.. Enumerable.Range(0, mentions).Select(_ => Guid.Empty)], random.NextDouble() < 0.005, [], null, start.AddMilliseconds(i * 10));
        })];
    }

    private static byte[] NextBytes(this Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
