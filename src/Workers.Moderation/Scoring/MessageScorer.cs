using Microsoft.Extensions.Caching.Memory;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Scoring.Profanity;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Scoring.Text;
using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Scoring;

/// <summary>The versions of what judged a message, stored with its result so a moderator knows which model said what.</summary>
public sealed record ModelVersions(string Spam, string Toxicity, string Lexicons);

/// <summary>One message's verdict with the content hash and model versions it was made with.</summary>
public sealed record ScoredMessage(string ContentHash, ModerationVerdict Verdict, ModelVersions Models);

/// <summary>
/// Runs every check on a message and fuses them under a policy. What depends on the content alone (profanity,
/// toxicity, the spam model) is cached by content hash for <see cref="ScoringOptions.ContentCacheWindow"/>, so a flood
/// of identical messages is scored once; what depends on the sender and channel (mentions, flooding) runs every time.
/// </summary>
public sealed class MessageScorer : IDisposable
{
    private readonly ProfanityCheck _profanity;
    private readonly ToxicityLexiconCheck _toxicity;
    private readonly OnnxToxicityClassifier? _onnx;
    private readonly ToxicityModelHolder? _toxicityModel;
    private readonly SpamModelHolder _spamModel;
    private readonly ChatSpamHeuristics _heuristics;
    private readonly FloodDetector _flood;
    private readonly ScoringOptions _options;
    private readonly MemoryCache _contentCache;
    private readonly string _lexiconVersion;

    public MessageScorer(
        ProfanityCheck profanity,
        ToxicityLexiconCheck toxicity,
        OnnxToxicityClassifier? onnx,
        SpamModelHolder spamModel,
        ChatSpamHeuristics heuristics,
        FloodDetector flood,
        ScoringOptions options,
        ToxicityModelHolder? toxicityModel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _profanity = profanity;
        _toxicity = toxicity;
        _onnx = onnx;
        _toxicityModel = toxicityModel;
        _spamModel = spamModel;
        _heuristics = heuristics;
        _flood = flood;
        _options = options;
        _contentCache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.ContentCacheEntries });
        _lexiconVersion = $"lexicons-v1/hash-v{TextNormalizer.HashFormVersion}";
    }

    /// <summary>Scores <paramref name="input"/> under <paramref name="policy"/>. Thread-safe.</summary>
    public ScoredMessage Score(ScoringInput input, ModerationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        var content = ScoreContent(input.Content);

        // Sender- and channel-dependent signals: never cached.
        var heuristics = _heuristics.Check(input);
        var flood = _flood.Observe(input);
        var modelScore = content.SpamModel * _options.SpamModelWeight;
        var spamScore = 1 - ((1 - modelScore) * (1 - heuristics.Score) * (1 - flood.Score));
        var spamSignals = new List<string>(content.SpamSignals.Count + heuristics.Signals.Count + flood.Signals.Count);
        spamSignals.AddRange(content.SpamSignals);
        spamSignals.AddRange(heuristics.Signals);
        spamSignals.AddRange(flood.Signals);

        var verdict = VerdictFusion.Fuse(content.Profanity, new CheckResult(spamScore, spamSignals), content.Toxicity, policy);
        return new ScoredMessage(content.Hash, verdict, content.Models);
    }

    public void Dispose() => _contentCache.Dispose();

    private ContentScores ScoreContent(string text)
    {
        var hash = ContentHash.Of(text);
        var spam = _spamModel.Current;
        var learntToxicity = _toxicityModel?.Current;
        // The models' versions are part of the key: a promoted model must not be answered from the old one's cache.
        var key = (hash, spam.ModelVersion, learntToxicity?.ModelVersion);
        if (_contentCache.TryGetValue(key, out ContentScores? cached) && cached is not null)
        {
            return cached;
        }

        var normalized = TextNormalizer.Normalize(text);
        var profanity = _profanity.Score(normalized);
        var toxicity = _toxicity.Score(normalized);
        var toxicityVersion = "lexicon";
        if (_onnx is not null && text.Length > 0)
        {
            var onnxScore = _onnx.Score(text);
            toxicityVersion = $"lexicon+onnx:{_onnx.ModelVersion}";
            if (onnxScore > toxicity.Score)
            {
                toxicity = new CheckResult(onnxScore, [.. toxicity.Signals, $"toxicity.onnx:{onnxScore:0.00}"]);
            }
        }

        if (learntToxicity is not null && text.Length > 0)
        {
            var modelScore = learntToxicity.Probability(text);
            toxicityVersion += $"+model:{learntToxicity.ModelVersion}";
            if (modelScore > toxicity.Score)
            {
                toxicity = new CheckResult(modelScore, [.. toxicity.Signals, ToxicityModelClassifier.Signal(modelScore)]);
            }
        }

        var spamProbability = text.Length == 0 ? 0 : spam.Probability(text);
        IReadOnlyList<string> spamSignals = spamProbability >= 0.5 ? [$"{SpamClassifier.SignalPrefix}{spamProbability:0.00}"] : [];
        var scores = new ContentScores(hash, profanity, toxicity, spamProbability, spamSignals,
            new ModelVersions(spam.ModelVersion, toxicityVersion, _lexiconVersion));
        _contentCache.Set(key, scores, new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = _options.ContentCacheWindow,
        });
        return scores;
    }

    private sealed record ContentScores(
        string Hash,
        CheckResult Profanity,
        CheckResult Toxicity,
        double SpamModel,
        IReadOnlyList<string> SpamSignals,
        ModelVersions Models);
}
