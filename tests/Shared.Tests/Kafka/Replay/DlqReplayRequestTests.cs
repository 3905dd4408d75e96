using QuikApp.Workers.Shared.Kafka.Replay;

namespace QuikApp.Workers.Shared.Tests.Kafka.Replay;

public sealed class DlqReplayRequestTests
{
    [Fact]
    public void Parse_TopicOnly_ReplaysEverythingAndTracksProgress()
    {
        var request = DlqReplayRequest.Parse(["quikapp.message.sent"]);

        Assert.Equal("quikapp.message.sent", request.SourceTopic);
        Assert.Equal("quikapp.message.sent.dlq", request.DeadLetterTopic);
        Assert.Equal("quikapp-dlq-replay-quikapp.message.sent", request.ProgressGroup);
        Assert.Null(request.Reason);
        Assert.Null(request.FromOffset);
        Assert.Null(request.ToOffset);
        Assert.Null(request.Partition);
        Assert.False(request.DryRun);
        Assert.True(request.TracksProgress);
    }

    [Fact]
    public void Parse_TheDeadLetterTopicsOwnName_MeansItsSourceTopic()
    {
        Assert.Equal("quikapp.file.uploaded", DlqReplayRequest.Parse(["quikapp.file.uploaded.dlq"]).SourceTopic);
    }

    [Theory]
    [InlineData("quikapp.message.sent", "--reason", "malformed", "--from-offset", "10", "--to-offset", "20", "--partition", "3", "--dry-run")]
    [InlineData("--dry-run", "--partition=3", "--to-offset=20", "--from-offset=10", "--reason=malformed", "quikapp.message.sent")]
    public void Parse_EveryOptionInAnyOrderAndEitherSpelling(params string[] arguments)
    {
        var request = DlqReplayRequest.Parse(arguments);

        Assert.Equal(new DlqReplayRequest("quikapp.message.sent", "malformed", 10, 20, 3, DryRun: true), request);
        Assert.False(request.TracksProgress);
    }

    [Fact]
    public void Parse_ToOffsetAlone_StillTracksProgress()
    {
        Assert.True(DlqReplayRequest.Parse(["t", "--to-offset", "5"]).TracksProgress);
    }

    [Theory]
    [InlineData("the topic is missing")]
    [InlineData("the topic is missing", "--dry-run")]
    [InlineData("unexpected argument 'b': give one topic", "a", "b")]
    [InlineData("'.dlq' does not name a source topic", ".dlq")]
    [InlineData("'x.dlq.dlq' does not name a source topic", "x.dlq.dlq")]
    [InlineData("--reason needs a value", "t", "--reason")]
    [InlineData("--reason needs a non-empty substring", "t", "--reason=")]
    [InlineData("--reason is given twice", "t", "--reason", "a", "--reason", "b")]
    [InlineData("--from-offset '-1' is not an offset (a number from 0)", "t", "--from-offset=-1")]
    [InlineData("--to-offset 'x' is not an offset (a number from 0)", "t", "--to-offset", "x")]
    [InlineData("--partition 'two' is not a partition number", "t", "--partition", "two")]
    [InlineData("--to-offset (4) is before --from-offset (5); both are inclusive", "t", "--from-offset", "5", "--to-offset", "4")]
    [InlineData("--dry-run takes no value", "t", "--dry-run=yes")]
    [InlineData("unknown option '--since'", "t", "--since", "1h")]
    public void Parse_Malformed_SaysWhat(string expected, params string[] arguments)
    {
        var failure = Assert.Throws<ArgumentException>(() => DlqReplayRequest.Parse(arguments));

        Assert.Equal(expected, failure.Message);
    }
}
