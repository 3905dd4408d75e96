using System.Globalization;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>Spots a user repeating the same or near-same message (flooding) or spreading it over channels (cross-posting).</summary>
/// <remarks>
/// Thread-safe and bounded: users live in lock-striped shards, each a least-recently-active list, so memory stays
/// under <see cref="FloodDetectorOptions.MaxUsers"/> × <see cref="FloodDetectorOptions.MaxEntriesPerUser"/> entries
/// however many distinct users write. Windows are measured in event time (<see cref="ScoringInput.At"/>), so
/// replaying a stream in the same order gives the same verdicts; a late event is judged against what came before it.
/// Raids by many accounts posting one text are out of scope (state is per user).
/// </remarks>
public sealed class FloodDetector
{
    private readonly FloodDetectorOptions _options;
    private readonly Shard[] _shards;
    private readonly long _windowTicks;
    private readonly string _windowLabel;

    public FloodDetector(FloodDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxEntriesPerUser < Math.Max(options.RepeatThreshold, options.CrossPostChannels) - 1)
        {
            throw new ArgumentException(
                $"{FloodDetectorOptions.SectionName}:MaxEntriesPerUser ({options.MaxEntriesPerUser}) must hold enough earlier messages to reach RepeatThreshold ({options.RepeatThreshold}) and CrossPostChannels ({options.CrossPostChannels}).",
                nameof(options));
        }

        if (options.Window <= TimeSpan.Zero || options.MaxUsers < 1)
        {
            throw new ArgumentException($"{FloodDetectorOptions.SectionName}: Window and MaxUsers must be positive.", nameof(options));
        }

        _options = options;
        _windowTicks = options.Window.Ticks;
        _windowLabel = options.Window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

        // Up to 16 stripes so parallel partitions rarely wait on one lock; fewer when MaxUsers is tiny, so that the
        // per-shard capacities (rounded down) never add up to more than MaxUsers.
        var shardCount = 1;
        while (shardCount < 16 && shardCount * 2 <= options.MaxUsers)
        {
            shardCount *= 2;
        }

        _shards = new Shard[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            _shards[i] = new Shard(options.MaxUsers / shardCount, options.MaxEntriesPerUser);
        }
    }

    /// <summary>Users currently remembered (never more than <see cref="FloodDetectorOptions.MaxUsers"/>).</summary>
    public int TrackedUsers
    {
        get
        {
            var total = 0;
            foreach (var shard in _shards)
            {
                lock (shard.Gate)
                {
                    total += shard.Count;
                }
            }

            return total;
        }
    }

    /// <summary>
    /// Remembers the message and judges it against the same user's recent ones: <c>spam.flood:&lt;n&gt;/&lt;window&gt;</c>
    /// from <c>RepeatThreshold</c> repeats, <c>spam.crosspost:&lt;channels&gt;</c> from <c>CrossPostChannels</c> channels;
    /// the score starts at 0.5 at a threshold and reaches 1 at twice it. Messages without a user or text are not tracked.
    /// </summary>
    public CheckResult Observe(ScoringInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.UserId is not { } userId || string.IsNullOrWhiteSpace(input.Content))
        {
            return CheckResult.Clean;
        }

        var sighting = new Sighting(input.At.UtcTicks, ContentFingerprint.Compute(input.Content), input.ChannelId ?? Guid.Empty);
        var shard = _shards[(userId.GetHashCode() & int.MaxValue) % _shards.Length];
        int repeats;
        int channels;
        lock (shard.Gate)
        {
            var history = shard.Touch(userId);
            (repeats, channels) = history.CountSimilar(sighting, _windowTicks, _options.MaxFingerprintDistance);
            history.Add(sighting, _windowTicks);
        }

        return Verdict(repeats, channels);
    }

    private CheckResult Verdict(int repeats, int channels)
    {
        var floodScore = ThresholdScore(repeats, _options.RepeatThreshold);
        var crossPostScore = ThresholdScore(channels, _options.CrossPostChannels);
        if (floodScore == 0 && crossPostScore == 0)
        {
            return CheckResult.Clean;
        }

        var signals = new List<string>(2);
        if (floodScore > 0)
        {
            signals.Add(string.Create(CultureInfo.InvariantCulture, $"spam.flood:{repeats}/{_windowLabel}"));
        }

        if (crossPostScore > 0)
        {
            signals.Add(string.Create(CultureInfo.InvariantCulture, $"spam.crosspost:{channels}"));
        }

        return new CheckResult(1 - ((1 - floodScore) * (1 - crossPostScore)), signals);
    }

    private static double ThresholdScore(int count, int threshold) =>
        count < threshold ? 0 : Math.Min(1, 0.5 + (0.5 * (count - threshold) / threshold));

    /// <summary>One remembered message: when, what (fingerprint), where (channel; empty when unknown).</summary>
    private readonly record struct Sighting(long Ticks, ulong Fingerprint, Guid Channel);

    /// <summary>One user's recent messages, at most MaxEntriesPerUser, oldest first.</summary>
    private sealed class UserHistory(Guid userId, int maxEntries)
    {
        private readonly List<Sighting> _sightings = new(capacity: 2);
        private long _latestTicks = long.MinValue;

        public Guid UserId { get; } = userId;

        /// <summary>Earlier similar messages in the window, plus this one; and the distinct known channels among them.</summary>
        public (int Repeats, int Channels) CountSimilar(Sighting current, long windowTicks, int maxDistance)
        {
            var repeats = 1;
            Span<Guid> channels = stackalloc Guid[_sightings.Count + 1];
            var channelCount = 0;
            if (current.Channel != Guid.Empty)
            {
                channels[channelCount++] = current.Channel;
            }

            foreach (var earlier in _sightings)
            {
                if (earlier.Ticks > current.Ticks
                    || current.Ticks - earlier.Ticks >= windowTicks
                    || ContentFingerprint.Distance(earlier.Fingerprint, current.Fingerprint) > maxDistance)
                {
                    continue;
                }

                repeats++;
                if (earlier.Channel != Guid.Empty && !channels[..channelCount].Contains(earlier.Channel))
                {
                    channels[channelCount++] = earlier.Channel;
                }
            }

            return (repeats, channelCount);
        }

        public void Add(Sighting sighting, long windowTicks)
        {
            _latestTicks = Math.Max(_latestTicks, sighting.Ticks);
            var expiredBefore = _latestTicks - windowTicks;
            _sightings.RemoveAll(s => s.Ticks <= expiredBefore);
            if (_sightings.Count >= maxEntries)
            {
                _sightings.RemoveAt(0);
            }

            _sightings.Add(sighting);
        }
    }

    /// <summary>A stripe of users behind one lock, least recently active last.</summary>
    private sealed class Shard(int capacity, int maxEntriesPerUser)
    {
        private readonly Dictionary<Guid, LinkedListNode<UserHistory>> _byUser = [];
        private readonly LinkedList<UserHistory> _byRecency = new();

        public object Gate { get; } = new();

        public int Count => _byUser.Count;

        /// <summary>The user's history, now the most recently active; forgets the least recently active user when full.</summary>
        public UserHistory Touch(Guid userId)
        {
            if (_byUser.TryGetValue(userId, out var node))
            {
                _byRecency.Remove(node);
                _byRecency.AddFirst(node);
                return node.Value;
            }

            if (_byUser.Count >= capacity)
            {
                var oldest = _byRecency.Last!;
                _byRecency.RemoveLast();
                _byUser.Remove(oldest.Value.UserId);
            }

            node = _byRecency.AddFirst(new UserHistory(userId, maxEntriesPerUser));
            _byUser[userId] = node;
            return node.Value;
        }
    }
}
