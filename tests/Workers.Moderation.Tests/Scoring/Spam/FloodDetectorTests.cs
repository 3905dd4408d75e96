using System.Collections.Concurrent;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

/// <summary>Flooding and cross-posting by one user, in event time, with bounded memory and under concurrency.</summary>
public sealed class FloodDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Alice = Guid.Parse("a11ce000-0000-0000-0000-000000000001");
    private static readonly Guid Bob = Guid.Parse("b0b00000-0000-0000-0000-000000000002");
    private static readonly Guid General = Guid.Parse("c0000000-0000-0000-0000-000000000001");

    private readonly FloodDetector _detector = new(new FloodDetectorOptions());

    [Fact]
    public void Observe_SameMessageFiveTimesInTheWindow_FloodsFromTheFifth()
    {
        var results = Enumerable.Range(0, 10).Select(i => _detector.Observe(Message(Alice, "buy my course", seconds: i * 5))).ToList();

        Assert.All(results.Take(4), r => Assert.Equal(CheckResult.Clean, r));
        Assert.Equal(["spam.flood:5/60s"], results[4].Signals);
        Assert.Equal(0.5, results[4].Score, 9);
        Assert.Equal(["spam.flood:10/60s"], results[9].Signals);
        Assert.Equal(1.0, results[9].Score, 9);
        Assert.True(results[5].Score > results[4].Score, "the score rises with the repeat count");
    }

    [Fact]
    public void Observe_NearDuplicates_CountAsTheSameMessage()
    {
        string[] variants =
        [
            "Buy now 1", "buy now 2!", "BUY NOW 3", "buy   now 4 !!", "buy now 55",
        ];

        var last = variants.Select((text, i) => _detector.Observe(Message(Alice, text, seconds: i))).ToList()[^1];

        Assert.Equal(["spam.flood:5/60s"], last.Signals);
    }

    [Fact]
    public void Observe_ShortenerLinksWithVaryingPaths_CountAsTheSameMessage()
    {
        var last = Enumerable.Range(0, 5)
            .Select(i => _detector.Observe(Message(Alice, $"free crypto giveaway, join now https://bit.ly/{Guid.NewGuid():N}", seconds: i)))
            .ToList()[^1];

        Assert.Equal(["spam.flood:5/60s"], last.Signals);
    }

    [Fact]
    public void Observe_DifferentMessages_NeverFlood()
    {
        string[] chat =
        [
            "morning!", "can someone review my PR?", "the build is green again", "lunch at 12?", "ok", "thanks!",
            "merged", "deploying now", "rollback done", "ok thanks", "see you tomorrow",
        ];

        Assert.All(chat.Select((text, i) => _detector.Observe(Message(Alice, text, seconds: i))), r => Assert.Equal(CheckResult.Clean, r));
    }

    [Fact]
    public void Observe_RepeatsSpreadWiderThanTheWindow_DoNotFlood()
    {
        // Every 20 s: at most 3 earlier copies are under 60 s old, so never 5 in the window.
        var results = Enumerable.Range(0, 12).Select(i => _detector.Observe(Message(Alice, "daily reminder: standup", seconds: i * 20))).ToList();

        Assert.All(results, r => Assert.Equal(CheckResult.Clean, r));
    }

    [Fact]
    public void Observe_AfterTheWindowPasses_CountsAfresh()
    {
        for (var i = 0; i < 4; i++)
        {
            _detector.Observe(Message(Alice, "spam spam spam", seconds: i));
        }

        var afterWindow = _detector.Observe(Message(Alice, "spam spam spam", seconds: 64));
        var lateEvent = _detector.Observe(Message(Alice, "spam spam spam", seconds: 3.5));

        Assert.Equal(CheckResult.Clean, afterWindow);
        Assert.Equal(CheckResult.Clean, lateEvent);
    }

    [Fact]
    public void Observe_SameTextInThreeChannels_CrossPosts()
    {
        var channels = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();

        var results = channels.Select((channel, i) => _detector.Observe(Message(Alice, "check out my new server discord.gg/abc", seconds: i, channel))).ToList();

        Assert.Equal(CheckResult.Clean, results[1]);
        Assert.Equal(["spam.crosspost:3"], results[2].Signals);
        Assert.Equal(0.5, results[2].Score, 9);
        Assert.Equal(["spam.crosspost:4"], results[3].Signals);
    }

    [Fact]
    public void Observe_FloodAcrossFiveChannels_SignalsBothAndCombinesScores()
    {
        var result = Enumerable.Range(0, 5).Select(i => _detector.Observe(Message(Alice, "gm gm gm", seconds: i, Guid.NewGuid()))).ToList()[^1];

        Assert.Equal(["spam.flood:5/60s", "spam.crosspost:5"], result.Signals);
        Assert.Equal(1 - ((1 - 0.5) * (1 - (0.5 + (0.5 * 2 / 3)))), result.Score, 9);
    }

    [Fact]
    public void Observe_TwoUsersSameText_AreCountedApart()
    {
        for (var i = 0; i < 4; i++)
        {
            _detector.Observe(Message(Alice, "same words", seconds: i));
        }

        Assert.Equal(CheckResult.Clean, _detector.Observe(Message(Bob, "same words", seconds: 5)));
        Assert.Equal(["spam.flood:5/60s"], _detector.Observe(Message(Alice, "same words", seconds: 6)).Signals);
    }

    [Fact]
    public void Observe_NoUserOrNoText_IsCleanAndNotTracked()
    {
        Assert.Equal(CheckResult.Clean, _detector.Observe(new ScoringInput("hello", UserId: null, At: Start)));
        Assert.Equal(CheckResult.Clean, _detector.Observe(Message(Alice, "   ", seconds: 0)));
        Assert.Equal(0, _detector.TrackedUsers);
    }

    [Fact]
    public void Observe_ReplayOfTheSameStream_GivesTheSameVerdicts()
    {
        var stream = Enumerable.Range(0, 200)
            .Select(i => Message(i % 3 == 0 ? Alice : Bob, i % 4 == 0 ? "promo promo" : $"message {i % 7} about things", seconds: i * 2.5, channel: i % 5 == 0 ? General : null))
            .ToList();

        var first = stream.Select(new FloodDetector(new FloodDetectorOptions()).Observe).ToList();
        var replay = stream.Select(new FloodDetector(new FloodDetectorOptions()).Observe).ToList();

        Assert.Equal(first.Select(r => (r.Score, string.Join(',', r.Signals))), replay.Select(r => (r.Score, string.Join(',', r.Signals))));
        Assert.Contains(first, r => r.Signals.Count > 0);
    }

    [Fact]
    public void Observe_OneMillionDistinctUsers_TrackedUsersStayWithinMaxUsers()
    {
        var detector = new FloodDetector(new FloodDetectorOptions { MaxUsers = 10_000 });
        var maxSeen = 0;

        for (var i = 0; i < 1_000_000; i++)
        {
            detector.Observe(Message(Guid.NewGuid(), "hi", seconds: i / 1000.0));
            if (i % 50_000 == 0)
            {
                maxSeen = Math.Max(maxSeen, detector.TrackedUsers);
            }
        }

        Assert.InRange(maxSeen, 1, 10_000);
        Assert.Equal(10_000, detector.TrackedUsers);
    }

    [Fact]
    public void Observe_LeastRecentlyActiveUserEvicted_TheirHistoryIsForgotten()
    {
        var detector = new FloodDetector(new FloodDetectorOptions { MaxUsers = 1 });
        for (var i = 0; i < 4; i++)
        {
            detector.Observe(Message(Alice, "again and again", seconds: i));
        }

        detector.Observe(Message(Bob, "hello", seconds: 5));

        Assert.Equal(CheckResult.Clean, detector.Observe(Message(Alice, "again and again", seconds: 6)));
        Assert.Equal(1, detector.TrackedUsers);
    }

    [Fact]
    public void Observe_ManyCopiesFromOneUser_RemembersAtMostMaxEntriesPerUser()
    {
        var detector = new FloodDetector(new FloodDetectorOptions { MaxEntriesPerUser = 8 });

        var last = Enumerable.Range(0, 50).Select(i => detector.Observe(Message(Alice, "flood", seconds: i * 0.1))).ToList()[^1];

        // 8 remembered + this one: the count saturates rather than growing the state.
        Assert.Equal(["spam.flood:9/60s"], last.Signals);
    }

    [Fact]
    public void Observe_ParallelCopiesFromOneUser_EachSeesADistinctCount()
    {
        var detector = new FloodDetector(new FloodDetectorOptions { MaxEntriesPerUser = 64 });
        var counts = new ConcurrentBag<string>();

        Parallel.For(0, 40, i =>
        {
            foreach (var signal in detector.Observe(Message(Alice, "parallel flood", seconds: 1)).Signals)
            {
                counts.Add(signal);
            }
        });

        // Observations are atomic: the 5th..40th each saw one more copy than the one before, none lost or doubled.
        Assert.Equal(Enumerable.Range(5, 36).Select(n => $"spam.flood:{n}/60s").Order(), counts.Order());
    }

    [Fact]
    public void Observe_ParallelTrafficFromManyUsers_KeepsEveryUsersHistory()
    {
        var detector = new FloodDetector(new FloodDetectorOptions { MaxEntriesPerUser = 32 });
        var users = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToArray();

        Parallel.For(0, users.Length * 20, i => detector.Observe(Message(users[i % users.Length], "hello hello", seconds: (i / users.Length) * 0.5)));

        Assert.Equal(users.Length, detector.TrackedUsers);
        Assert.All(users, u => Assert.Equal(["spam.flood:21/60s"], detector.Observe(Message(u, "hello hello", seconds: 10)).Signals));
    }

    [Fact]
    public void Constructor_TooFewEntriesPerUserForTheThreshold_FailsNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new FloodDetector(new FloodDetectorOptions { RepeatThreshold = 10, MaxEntriesPerUser = 4 }));

        Assert.Contains("Moderation:Spam:Flood:MaxEntriesPerUser", error.Message, StringComparison.Ordinal);
    }

    // Observing has side effects: every sequence of observations above is materialised (ToList) before it is read,
    // since LINQ's Last() on Range().Select() would run the selector for the last element only.
    private static ScoringInput Message(Guid user, string text, double seconds, Guid? channel = null) =>
        new(text, user, channel ?? General, At: Start.AddSeconds(seconds));
}
