using System.Globalization;
using System.Text;

namespace QuikApp.Workers.Shared.Kafka.Replay;

/// <summary>What a replay did on one partition of the dead-letter topic. Offsets are the <c>.dlq</c> partition's.</summary>
/// <param name="Start">The first offset read.</param>
/// <param name="End">One past the last offset read (the end of the partition when the run started, or <c>--to-offset</c> + 1).</param>
/// <param name="Position">Every record before it has been replayed; what the progress group holds after the run when <paramref name="Committed"/>.</param>
public sealed record DlqPartitionReport(
    int Partition,
    long Start,
    long End,
    int Replayed,
    int ReasonMismatch,
    int ForeignSource,
    long Position,
    bool Committed,
    int References = 0)
{
    public int Scanned => Replayed + ReasonMismatch + ForeignSource + References;
}

/// <summary>The outcome of one <c>replay-dlq</c> run.</summary>
public sealed record DlqReplayReport(DlqReplayRequest Request, IReadOnlyList<DlqPartitionReport> Partitions, string? Error)
{
    public int Replayed => Partitions.Sum(p => p.Replayed);

    public int ReasonMismatch => Partitions.Sum(p => p.ReasonMismatch);

    public int ForeignSource => Partitions.Sum(p => p.ForeignSource);

    /// <summary>Dead letters that are references to records too large to copy: never replayable.</summary>
    public int References => Partitions.Sum(p => p.References);

    /// <summary>Nothing failed and every record read belonged to the source topic.</summary>
    public bool Succeeded => Error is null && ForeignSource == 0;

    /// <summary>The summary printed at the end of a run.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        var verb = Request.DryRun ? "would replay" : "replayed";
        foreach (var p in Partitions)
        {
            var position = Request.DryRun ? "position unchanged (dry run)"
                : !Request.TracksProgress ? "position not tracked (--from-offset)"
                : p.Committed ? $"position {p.Position} committed"
                : $"position stays at {p.Position}";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  partition {p.Partition}: offsets {p.Start}..{p.End - 1}: {verb} {p.Replayed}, skipped {p.ReasonMismatch} by --reason, {p.ForeignSource} from another topic, {p.References} references; {position}");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"{verb} {Replayed} record(s) from {Request.DeadLetterTopic} to {Request.SourceTopic}; skipped {ReasonMismatch} by --reason, {ForeignSource} from another topic, {References} references");
        if (Partitions.Count == 0)
        {
            text.Append(" (nothing to read)");
        }

        if (Error is not null)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"error: {Error}");
        }
        else if (ForeignSource > 0)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"warning: {ForeignSource} record(s) in {Request.DeadLetterTopic} do not name {Request.SourceTopic} in dlq-source-topic; they were not replayed");
        }

        return text.ToString();
    }
}
