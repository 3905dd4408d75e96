using System.Collections.Concurrent;
using MongoDB.Bson;
using QuikApp.Workers.Moderation.Results;

namespace QuikApp.Workers.Moderation.Tests.Doubles;

/// <summary>A test double with the MongoDB store's semantics: newer wins, the same version re-applies keeping processedAt.</summary>
internal sealed class InMemoryAutoModerationResultStore : IAutoModerationResultStore
{
    private readonly ConcurrentDictionary<ObjectId, Stored> _results = new();
    private int _failuresLeft;

    public int Writes { get; private set; }

    public IReadOnlyDictionary<ObjectId, Stored> Results => _results;

    /// <summary>The next <paramref name="count"/> writes fail as a MongoDB outage would.</summary>
    public void FailNext(int count) => _failuresLeft = count;

    public Task<IReadOnlyList<bool>> UpsertAsync(IReadOnlyList<AutoModerationResult> results, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        Writes++;
        var applied = new bool[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            lock (_results)
            {
                var existing = _results.GetValueOrDefault(result.MessageId);
                var version = existing?.Result?.Content;
                var newer = version is null || version.At < result.Content.At;
                var same = version is not null && version.At == result.Content.At && version.EventId == result.Content.EventId;
                if (!newer && !same)
                {
                    continue;
                }

                var processedAt = same ? existing!.Result!.ProcessedAt : result.ProcessedAt;
                _results[result.MessageId] = new Stored(result with { ProcessedAt = processedAt }, existing?.Deletion);
                applied[i] = true;
            }
        }

        return Task.FromResult<IReadOnlyList<bool>>(applied);
    }

    public Task MarkDeletedAsync(IReadOnlyList<MessageDeletion> deletions, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        Writes++;
        foreach (var deletion in deletions)
        {
            lock (_results)
            {
                var existing = _results.GetValueOrDefault(deletion.MessageId);
                _results[deletion.MessageId] = new Stored(existing?.Result, deletion);
            }
        }

        return Task.CompletedTask;
    }

    private void ThrowIfFailing()
    {
        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            throw new TimeoutException("MongoDB did not answer (test double)");
        }
    }

    internal sealed record Stored(AutoModerationResult? Result, MessageDeletion? Deletion);
}
