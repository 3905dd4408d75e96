using System.Globalization;
using System.Text;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Kafka.Replay;

/// <summary>What <c>replay-dlq</c> does with one dead-letter record.</summary>
public enum DlqRecordDecision
{
    /// <summary>Re-published to its source topic.</summary>
    Replay,

    /// <summary>Left where it is: its <c>dlq-reason</c> does not contain the <c>--reason</c> substring.</summary>
    ReasonMismatch,

    /// <summary>Left where it is: its <c>dlq-source-topic</c> is missing or names another topic.</summary>
    ForeignSource,

    /// <summary>
    /// Left where it is: a reference to a record too large to copy (<c>dlq-reference</c>); its value is not the event, so
    /// it can never be replayed. The original stays at its source topic, partition and offset until retention.
    /// </summary>
    Reference,
}

/// <summary>
/// The pure part of a replay: which records go back, and with which headers. No I/O, so the rules are tested directly.
/// </summary>
public static class DlqRecordSelection
{
    /// <summary>Header a replayed record carries: <c>&lt;dlq partition&gt;:&lt;dlq offset&gt;</c> of the record it came from.</summary>
    public const string ReplayedFromHeader = EventHeaders.ReplayedFromDlq;

    private const string DlqHeaderPrefix = "dlq-";

    public static DlqRecordDecision Decide(IReadOnlyList<KeyValuePair<string, byte[]>> headers, DlqReplayRequest request)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(LastText(headers, EventHeaders.DlqSourceTopic), request.SourceTopic, StringComparison.Ordinal))
        {
            return DlqRecordDecision.ForeignSource;
        }

        if (LastText(headers, EventHeaders.DlqReference) is not null)
        {
            return DlqRecordDecision.Reference;
        }

        if (request.Reason is { } wanted
            && !(LastText(headers, EventHeaders.DlqReason) ?? string.Empty).Contains(wanted, StringComparison.OrdinalIgnoreCase))
        {
            return DlqRecordDecision.ReasonMismatch;
        }

        return DlqRecordDecision.Replay;
    }

    /// <summary>
    /// The headers of the replayed record: the original ones in their order, without the <c>dlq-*</c> headers the
    /// dead-letter publisher added and without an earlier <c>replayed-from-dlq</c>, plus <c>replayed-from-dlq</c> naming
    /// this dead-letter record (so a record that fails again and is replayed again never accumulates headers).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, byte[]>> ReplayHeaders(
        IReadOnlyList<KeyValuePair<string, byte[]>> headers, int dlqPartition, long dlqOffset)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var kept = headers
            .Where(h => !h.Key.StartsWith(DlqHeaderPrefix, StringComparison.Ordinal)
                && !string.Equals(h.Key, ReplayedFromHeader, StringComparison.Ordinal))
            .ToList();
        kept.Add(new(ReplayedFromHeader, Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{dlqPartition}:{dlqOffset}"))));
        return kept;
    }

    /// <summary>
    /// The partition of the source topic the record was consumed from (<c>dlq-source-partition</c>), when it still
    /// exists: replaying into the same partition keeps the record beside the other events of its key, whatever
    /// partitioner the upstream producer used. Null when unknown (the producer then partitions by key).
    /// </summary>
    public static int? SourcePartition(IReadOnlyList<KeyValuePair<string, byte[]>> headers, int sourcePartitionCount)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return int.TryParse(LastText(headers, EventHeaders.DlqSourcePartition), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            && partition < sourcePartitionCount
                ? partition
                : null;
    }

    /// <summary>The value of the last header named <paramref name="name"/> as UTF-8 text, or null.</summary>
    public static string? LastText(IReadOnlyList<KeyValuePair<string, byte[]>> headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        for (var i = headers.Count - 1; i >= 0; i--)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.Ordinal))
            {
                return headers[i].Value is null ? null : Encoding.UTF8.GetString(headers[i].Value);
            }
        }

        return null;
    }
}
