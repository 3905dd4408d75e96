using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>Settings of the exponential backoff used while a partition waits out a transient failure.</summary>
public sealed class RetryBackoffOptions
{
    /// <summary>Delay before the first retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of any single delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Growth factor between consecutive delays.</summary>
    [Range(1.0, 10.0)]
    public double Multiplier { get; set; } = 2.0;

    /// <summary>Share of each delay that is randomised (0 = none, 1 = full jitter).</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; set; } = 0.5;
}

/// <summary>
/// Exponential backoff with jitter: delay(n) = min(max, initial * multiplier^n), of which the
/// <see cref="RetryBackoffOptions.Jitter"/> share is drawn at random so that replicas retrying against the
/// same recovering dependency do not stampede it in lockstep.
/// </summary>
public sealed class RetryBackoff(RetryBackoffOptions options, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>The delay before retry number <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ceiling = options.MaxDelay.TotalMilliseconds;
        // Cap the exponent first: multiplier^attempt overflows to infinity long before attempt overflows.
        var exponential = options.InitialDelay.TotalMilliseconds * Math.Pow(options.Multiplier, Math.Min(attempt, 64));
        var baseDelay = Math.Min(ceiling, exponential);
        var fixedPart = baseDelay * (1 - options.Jitter);
        var randomPart = baseDelay * options.Jitter * _random();
        return TimeSpan.FromMilliseconds(fixedPart + randomPart);
    }
}
