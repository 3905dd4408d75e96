using System.Globalization;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Kafka.Replay;

/// <summary>
/// What <c>replay-dlq</c> was asked to do: which dead-letter topic, which of its records (reason substring, offset range
/// of the <c>.dlq</c> partitions, one partition), and whether to publish at all. Offsets are inclusive on both ends.
/// </summary>
public sealed record DlqReplayRequest(string SourceTopic, string? Reason, long? FromOffset, long? ToOffset, int? Partition, bool DryRun)
{
    /// <summary>The dead-letter topic read: <c>&lt;source topic&gt;.dlq</c>.</summary>
    public string DeadLetterTopic => EventTopics.DeadLetterTopic(SourceTopic);

    /// <summary>The consumer group under which unranged runs keep their position in the dead-letter topic.</summary>
    public string ProgressGroup => ProgressGroupOf(SourceTopic);

    /// <summary>
    /// True when the run starts at the progress group's position and may move it. An explicit <c>--from-offset</c> is a
    /// deliberate re-run of a range: it neither reads nor moves the position. A dry run reads it but never moves it.
    /// </summary>
    public bool TracksProgress => FromOffset is null;

    public static string ProgressGroupOf(string sourceTopic) => $"quikapp-dlq-replay-{sourceTopic}";

    /// <summary>Parses <c>&lt;topic&gt; [--reason &lt;substring&gt;] [--from-offset N] [--to-offset M] [--partition P] [--dry-run]</c>.</summary>
    /// <exception cref="ArgumentException">The arguments are malformed; the message says how.</exception>
    public static DlqReplayRequest Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string? topic = null;
        string? reason = null;
        long? from = null;
        long? to = null;
        int? partition = null;
        var dryRun = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                topic = topic is null ? argument : throw new ArgumentException($"unexpected argument '{argument}': give one topic");
                continue;
            }

            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var option = equals < 0 ? argument : argument[..equals];
            if (option == "--dry-run")
            {
                dryRun = equals < 0 ? true : throw new ArgumentException("--dry-run takes no value");
                continue;
            }

            string value;
            if (equals >= 0)
            {
                value = argument[(equals + 1)..];
            }
            else if (i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = arguments[++i];
            }
            else
            {
                throw new ArgumentException($"{option} needs a value");
            }

            switch (option)
            {
                case "--reason":
                    reason = reason is null
                        ? (value.Length > 0 ? value : throw new ArgumentException("--reason needs a non-empty substring"))
                        : throw new ArgumentException("--reason is given twice");
                    break;
                case "--from-offset":
                    from = from is null ? ParseOffset(option, value) : throw new ArgumentException("--from-offset is given twice");
                    break;
                case "--to-offset":
                    to = to is null ? ParseOffset(option, value) : throw new ArgumentException("--to-offset is given twice");
                    break;
                case "--partition":
                    partition = partition is null
                        ? (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p
                            : throw new ArgumentException($"--partition '{value}' is not a partition number"))
                        : throw new ArgumentException("--partition is given twice");
                    break;
                default:
                    throw new ArgumentException($"unknown option '{option}'");
            }
        }

        if (string.IsNullOrWhiteSpace(topic))
        {
            throw new ArgumentException("the topic is missing");
        }

        // Accept the dead-letter topic's own name too: operators copy it from alerts and dashboards.
        if (topic.EndsWith(EventTopics.DeadLetterSuffix, StringComparison.Ordinal))
        {
            topic = topic[..^EventTopics.DeadLetterSuffix.Length];
        }

        if (topic.Length == 0 || topic.EndsWith(EventTopics.DeadLetterSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{arguments.First(a => !a.StartsWith("--", StringComparison.Ordinal))}' does not name a source topic");
        }

        if (from is { } start && to is { } end && end < start)
        {
            throw new ArgumentException($"--to-offset ({end}) is before --from-offset ({start}); both are inclusive");
        }

        return new DlqReplayRequest(topic, reason, from, to, partition, dryRun);
    }

    private static long ParseOffset(string option, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new ArgumentException($"{option} '{value}' is not an offset (a number from 0)");
}
