namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>The rules a snapshot's pairs were built under, recorded with it.</summary>
public sealed record SnapshotFilters(int ContextMessages, int QuickReplyWindowSeconds, int MinCharacters, int MaxCharacters, IReadOnlyList<string> Excluded)
{
    public static SnapshotFilters From(SmartReplyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SnapshotFilters(options.ContextMessages, (int)options.QuickReplyWindow.TotalSeconds, options.MinCharacters,
            options.MaxCharacters, SmartReplyPairBuilder.Excluded);
    }
}

/// <summary>One versioned smart-reply training set: the pairs built up to <see cref="Cutoff"/>, as counted when it was taken.</summary>
public sealed record SmartReplySnapshot(string Version, DateTimeOffset CreatedAt, DateTimeOffset Cutoff, ReplyPairCounts Counts, SnapshotFilters Filters)
{
    /// <summary>The <c>kind</c> of smart-reply records in <c>training_sets</c>, and the prefix of their versions.</summary>
    public const string Kind = "smart-reply";

    /// <summary>The version of the snapshot cut at <paramref name="cutoff"/>, e.g. <c>smart-reply-20261125T0230Z</c> (UTC, to the minute).</summary>
    public static string VersionFor(DateTimeOffset cutoff) =>
        $"{Kind}-{cutoff.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Stores smart-reply snapshot records in <c>QuikApp_ml.training_sets</c>.</summary>
public interface ISmartReplySnapshotStore
{
    /// <summary>Inserts the record unless its version exists; false when it did (the stored one is kept).</summary>
    Task<bool> TryInsertAsync(SmartReplySnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>The smart-reply snapshot of that version, or null.</summary>
    Task<SmartReplySnapshot?> FindAsync(string version, CancellationToken cancellationToken);

    /// <summary>The versions of the latest smart-reply snapshots, newest first.</summary>
    Task<IReadOnlyList<string>> RecentVersionsAsync(int limit, CancellationToken cancellationToken);
}
