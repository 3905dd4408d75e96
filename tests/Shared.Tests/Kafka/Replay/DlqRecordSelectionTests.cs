using System.Text;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Replay;

namespace QuikApp.Workers.Shared.Tests.Kafka.Replay;

public sealed class DlqRecordSelectionTests
{
    private static KeyValuePair<string, byte[]> H(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));

    private static List<KeyValuePair<string, byte[]>> DeadLetterHeaders(string source = "quikapp.message.sent", string reason = "malformed: data.channelId: expected a UUID") =>
    [
        H(EventHeaders.EventType, "message.sent"),
        H(EventHeaders.CorrelationId, "req-1"),
        H(EventHeaders.DlqReason, reason),
        H(EventHeaders.DlqException, "System.FormatException: bad"),
        H(EventHeaders.DlqSourceTopic, source),
        H(EventHeaders.DlqSourcePartition, "7"),
        H(EventHeaders.DlqSourceOffset, "1234"),
        H(EventHeaders.DlqFailedAt, "2026-11-25T10:00:00.000Z"),
    ];

    [Fact]
    public void Decide_RecordOfTheSourceTopicWithoutFilter_IsReplayed()
    {
        Assert.Equal(DlqRecordDecision.Replay, DlqRecordSelection.Decide(DeadLetterHeaders(), DlqReplayRequest.Parse(["quikapp.message.sent"])));
    }

    [Theory]
    [InlineData("malformed", DlqRecordDecision.Replay)]
    [InlineData("MALFORMED: data.channelId", DlqRecordDecision.Replay)]
    [InlineData("handler-failure", DlqRecordDecision.ReasonMismatch)]
    public void Decide_ReasonFilter_IsACaseInsensitiveSubstringOfDlqReason(string reason, DlqRecordDecision expected)
    {
        Assert.Equal(expected, DlqRecordSelection.Decide(DeadLetterHeaders(), DlqReplayRequest.Parse(["quikapp.message.sent", "--reason", reason])));
    }

    [Fact]
    public void Decide_ReferenceToARecordTooLargeToCopy_IsNeverReplayed()
    {
        var headers = DeadLetterHeaders();
        headers.Add(H(EventHeaders.DlqReference, "the copy of 1048900 bytes exceeds message.max.bytes (1048588)"));

        Assert.Equal(DlqRecordDecision.Reference, DlqRecordSelection.Decide(headers, DlqReplayRequest.Parse(["quikapp.message.sent"])));
    }

    [Fact]
    public void Decide_RecordNamingAnotherSourceOrNone_IsNeverReplayed()
    {
        var request = DlqReplayRequest.Parse(["quikapp.message.sent", "--reason", "malformed"]);

        Assert.Equal(DlqRecordDecision.ForeignSource, DlqRecordSelection.Decide(DeadLetterHeaders(source: "quikapp.message.edited"), request));
        Assert.Equal(DlqRecordDecision.ForeignSource, DlqRecordSelection.Decide([H(EventHeaders.DlqReason, "malformed: x")], request));
    }

    [Fact]
    public void ReplayHeaders_DropDlqHeadersKeepTheRestInOrder_AndNameTheDeadLetterRecord()
    {
        var headers = DlqRecordSelection.ReplayHeaders(DeadLetterHeaders(), dlqPartition: 2, dlqOffset: 41);

        Assert.Equal(
            [(EventHeaders.EventType, "message.sent"), (EventHeaders.CorrelationId, "req-1"), (EventHeaders.ReplayedFromDlq, "2:41")],
            headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.Value))));
    }

    [Fact]
    public void ReplayHeaders_OfARecordReplayedBefore_ReplaceTheEarlierMarkInsteadOfAccumulating()
    {
        var failedAgain = DeadLetterHeaders();
        failedAgain.Insert(2, H(EventHeaders.ReplayedFromDlq, "0:3"));

        var headers = DlqRecordSelection.ReplayHeaders(failedAgain, dlqPartition: 0, dlqOffset: 9);

        Assert.Equal("0:9", Assert.Single(headers, h => h.Key == EventHeaders.ReplayedFromDlq).Value is { } v ? Encoding.UTF8.GetString(v) : null);
        Assert.DoesNotContain(headers, h => h.Key.StartsWith("dlq-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("7", 12, 7)]
    [InlineData("7", 6, null)]
    [InlineData("x", 12, null)]
    public void SourcePartition_IsTheOriginalPartitionWhileItExists(string header, int partitions, int? expected)
    {
        Assert.Equal(expected, DlqRecordSelection.SourcePartition([H(EventHeaders.DlqSourcePartition, header)], partitions));
    }
}
