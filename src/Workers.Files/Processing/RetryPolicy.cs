using System.Globalization;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Files.Processing;

/// <summary>
/// When a failed file is tried again, and when the worker gives up: attempt n fails → retry after
/// RetryBackoff × 2^(n−1) (at most MaxRetryBackoff); attempt MaxAttempts fails → no retry, the reason says so.
/// Done and skipped files are final and never retried.
/// </summary>
public sealed class RetryPolicy(IOptions<FileProcessingOptions> options)
{
    private readonly FileProcessingOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    public int MaxAttempts => _options.MaxAttempts;

    /// <summary>Decides the retry of attempt <paramref name="attempt"/> (1 = first) that ended in <paramref name="outcome"/> at <paramref name="now"/>.</summary>
    public RetryDecision Decide(FileOutcome outcome, int attempt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        if (outcome.Status != ProcessingStatus.Failed)
        {
            return new RetryDecision(null, outcome.Reason);
        }

        if (attempt >= _options.MaxAttempts)
        {
            return new RetryDecision(null, string.Create(CultureInfo.InvariantCulture, $"gave up after {attempt} attempts: {outcome.Reason}"));
        }

        var exponent = Math.Min(attempt - 1, 30);
        var wait = TimeSpan.FromTicks((long)Math.Min(_options.RetryBackoff.Ticks * Math.Pow(2, exponent), _options.MaxRetryBackoff.Ticks));
        return new RetryDecision(now + wait, outcome.Reason);
    }
}

/// <summary>A failed attempt's follow-up: when the sweeper may try again (null: never), and the reason to record.</summary>
public readonly record struct RetryDecision(DateTimeOffset? RetryAfter, string? Reason);
