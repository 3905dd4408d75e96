using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>The <c>export-training-set</c> verb over in-memory stores: JSON lines, the cutoff, files, unknown versions.</summary>
public sealed class ExportTrainingSetCommandTests
{
    private const string Version = "smart-reply-20261125T0230Z";
    private static readonly DateTimeOffset Cutoff = new(2026, 11, 25, 2, 30, 0, TimeSpan.Zero);

    private readonly InMemorySmartReplyPairStore _pairs = new();
    private readonly InMemorySmartReplySnapshotStore _snapshots = new();

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_KnownVersion_WritesThePairsBuiltUpToTheCutoffAsJsonLines()
    {
        await Snapshot(Version, Cutoff, pairs: 2);
        AddPair(ReplyPairKind.Quick, Cutoff.AddHours(-1), [("is the build green?", false)], "yes, all green");
        AddPair(ReplyPairKind.Thread, Cutoff.AddHours(-2), [("who has \"the\" key?", false), ("not me", true)], "Zoë has it ✓");
        AddPair(ReplyPairKind.Quick, Cutoff.AddSeconds(1), [("later", false)], "not in this snapshot");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await new ExportTrainingSetCommand().RunAsync(Services(), [Version], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Equal(
            [
                """{"kind":"thread","context":[{"text":"who has \"the\" key?","sameAuthorAsReply":false},{"text":"not me","sameAuthorAsReply":true}],"reply":"Zoë has it ✓"}""",
                """{"kind":"quick","context":[{"text":"is the build green?","sameAuthorAsReply":false}],"reply":"yes, all green"}""",
            ],
            Lines(output));
        Assert.Contains($"exported 2 pairs of {Version}", error.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_PairRemovedAfterTheSnapshot_IsNotExported()
    {
        await Snapshot(Version, Cutoff, pairs: 2);
        var kept = AddPair(ReplyPairKind.Quick, Cutoff.AddHours(-1), [("coffee?", false)], "sure");
        var deleted = AddPair(ReplyPairKind.Quick, Cutoff.AddHours(-2), [("lunch?", false)], "yes");
        await _pairs.DeleteContainingAsync([deleted.MessageIds[0]], TestContext.Current.CancellationToken);
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await new ExportTrainingSetCommand().RunAsync(Services(), [Version], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Equal("sure", JsonNode.Parse(Assert.Single(Lines(output)))!["reply"]!.GetValue<string>());
        Assert.Contains("exported 1 pairs", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("the snapshot counted 2", error.ToString(), StringComparison.Ordinal);
        _ = kept;
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_OutputFile_WritesTheWholeFileAndLeavesNoPartialFile()
    {
        await Snapshot(Version, Cutoff, pairs: 1);
        AddPair(ReplyPairKind.Quick, Cutoff.AddHours(-1), [("coffee?", false)], "sure");
        var directory = Directory.CreateTempSubdirectory("export-training-set-");
        try
        {
            var path = Path.Combine(directory.FullName, "set.jsonl");
            var (output, error) = (new StringWriter(), new StringWriter());

            var exit = await new ExportTrainingSetCommand().RunAsync(Services(), [Version, "--output", path], output, error, TestContext.Current.CancellationToken);

            Assert.Equal(0, exit);
            Assert.Equal("", output.ToString());
            Assert.Equal("""{"kind":"quick","context":[{"text":"coffee?","sameAuthorAsReply":false}],"reply":"sure"}""" + "\n",
                await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
            Assert.Equal([path], Directory.GetFiles(directory.FullName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_UnknownVersion_Exits2ListingTheRecentVersions()
    {
        await Snapshot("smart-reply-20261123T0230Z", Cutoff.AddDays(-2), pairs: 0);
        await Snapshot("smart-reply-20261124T0230Z", Cutoff.AddDays(-1), pairs: 0);
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await new ExportTrainingSetCommand().RunAsync(Services(), ["smart-reply-19990101T0000Z"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Equal("", output.ToString());
        Assert.Contains("unknown training set version 'smart-reply-19990101T0000Z'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("recent versions: smart-reply-20261124T0230Z, smart-reply-20261123T0230Z", error.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_NoSnapshotsAtAll_SaysHowToTakeOne()
    {
        var error = new StringWriter();

        var exit = await new ExportTrainingSetCommand().RunAsync(Services(), [Version], new StringWriter(), error, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("run-job smart-reply-snapshot", error.ToString(), StringComparison.Ordinal);
    }

    [Theory(Timeout = 10_000)]
    [InlineData("")]
    [InlineData("--output x.jsonl")]
    [InlineData(Version + " --output")]
    [InlineData(Version + " other")]
    [InlineData(Version + " --format csv")]
    public async Task RunAsync_BadArguments_Exits2WithTheUsage(string commandLine)
    {
        var arguments = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var error = new StringWriter();

        var exit = await new ExportTrainingSetCommand().RunAsync(Services(), arguments, new StringWriter(), error, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("usage: export-training-set <version> [--output path]", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OutputWithEquals_IsTheOutputPath()
    {
        Assert.Equal(new ExportArguments(Version, "out/set.jsonl"), ExportArguments.Parse(["--output=out/set.jsonl", Version]));
    }

    private ServiceProvider Services() => new ServiceCollection()
        .AddSingleton<ISmartReplyPairStore>(_pairs)
        .AddSingleton<ISmartReplySnapshotStore>(_snapshots)
        .BuildServiceProvider();

    private Task<bool> Snapshot(string version, DateTimeOffset cutoff, long pairs) => _snapshots.TryInsertAsync(
        new SmartReplySnapshot(version, cutoff.AddSeconds(1), cutoff, new ReplyPairCounts(pairs, 0, pairs), SnapshotFilters.From(new SmartReplyOptions())),
        TestContext.Current.CancellationToken);

    private ReplyPair AddPair(ReplyPairKind kind, DateTimeOffset builtAt, (string Text, bool Same)[] context, string reply)
    {
        var replyId = ObjectId.GenerateNewId();
        var pair = new ReplyPair(ReplyPair.IdFor(replyId, kind), kind, Guid.NewGuid(), Guid.NewGuid(), replyId,
            [.. context.Select(_ => ObjectId.GenerateNewId()), replyId], [.. context.Select(c => new ReplyContextLine(c.Text, c.Same))], reply,
            builtAt.AddMinutes(-1), builtAt);
        _pairs.Put(pair);
        return pair;
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
