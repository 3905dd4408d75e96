using System.Collections.Concurrent;
using MongoDB.Bson;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// <c>auto_mod_results</c> in memory with the MongoDB store's semantics: newer wins (<see cref="ContentVersionOrder"/>:
/// milliseconds, then event id), the same version re-applies keeping processedAt, a deletion marks the result (or leaves
/// a tombstone), and dates come back truncated to milliseconds as a BSON date holds them. It also answers the smart-reply reads of the same
/// collection (<see cref="IModerationActions"/>), as MongoDB would from the one collection.
/// </summary>
public sealed class InMemoryAutoModerationResultStore : IAutoModerationResultStore, IModerationActions
{
    private readonly ConcurrentDictionary<ObjectId, Stored> _results = new();
    private int _failuresLeft;
    private int _writes;

    /// <summary>Bulk writes received (upserts and deletion marks).</summary>
    public int Writes => Volatile.Read(ref _writes);

    public IReadOnlyDictionary<ObjectId, Stored> Results => _results;

    /// <summary>The next <paramref name="count"/> writes fail as a MongoDB outage would.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public Task<IReadOnlyList<bool>> UpsertAsync(IReadOnlyList<AutoModerationResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        ThrowIfFailing();
        Interlocked.Increment(ref _writes);
        var applied = new bool[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            lock (_results)
            {
                var existing = _results.GetValueOrDefault(result.MessageId);
                var stored = existing?.Result?.Content;
                // The store's rule (milliseconds, then event id), on the values as MongoDB holds them.
                if (!ContentVersionOrder.Replaces(result.Content, stored))
                {
                    continue;
                }

                var same = ContentVersionOrder.IsSameEvent(result.Content, stored);
                var processedAt = same ? existing!.Result!.ProcessedAt : MongoSemantics.Millis(result.ProcessedAt);
                result = result with { Content = result.Content with { At = MongoSemantics.Millis(result.Content.At) } };
                _results[result.MessageId] = new Stored(result with { ProcessedAt = processedAt }, existing?.Deletion);
                applied[i] = true;
            }
        }

        return Task.FromResult<IReadOnlyList<bool>>(applied);
    }

    public Task MarkDeletedAsync(IReadOnlyList<MessageDeletion> deletions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletions);
        ThrowIfFailing();
        Interlocked.Increment(ref _writes);
        foreach (var deletion in deletions)
        {
            lock (_results)
            {
                var existing = _results.GetValueOrDefault(deletion.MessageId);
                _results[deletion.MessageId] = new Stored(existing?.Result, deletion with { DeletedAt = MongoSemantics.Millis(deletion.DeletedAt) });
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<ObjectId, StoredModeration>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        IReadOnlyDictionary<ObjectId, StoredModeration> found = messageIds.Distinct()
            .Select(id => (Id: id, Stored: _results.GetValueOrDefault(id)))
            .Where(s => s.Stored is not null)
            .ToDictionary(s => s.Id, s => new StoredModeration(s.Id, s.Stored!.Result?.Scored.Verdict.Action, s.Stored.Result?.Scored.ContentHash,
                s.Stored.Deletion is not null));
        return Task.FromResult(found);
    }

    private void ThrowIfFailing()
    {
        if (Volatile.Read(ref _failuresLeft) > 0 && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new TimeoutException("MongoDB did not answer (in-memory store)");
        }
    }

    /// <summary>One message's document: its current result (null for a tombstone) and its deletion mark.</summary>
    public sealed record Stored(AutoModerationResult? Result, MessageDeletion? Deletion);
}
