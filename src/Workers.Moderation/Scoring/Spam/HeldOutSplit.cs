using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// Deterministic, stratified train/test split: within each label, examples are ordered by a seeded hash of their
/// text and the first <c>testFraction</c> go to test.
/// </summary>
/// <remarks>
/// Hashing the text rather than shuffling by position makes the split independent of input order (a re-sorted
/// corpus splits the same; appending k moderator-labelled examples moves at most k existing ones across the line)
/// and of the runtime's <see cref="Random"/> algorithm. Identical texts sort together, so they rarely straddle it.
/// </remarks>
public static class HeldOutSplit
{
    public const double DefaultTestFraction = 0.2;

    public static (IReadOnlyList<(string Text, bool IsSpam)> Train, IReadOnlyList<(string Text, bool IsSpam)> Test) Split(
        IReadOnlyList<(string Text, bool IsSpam)> examples, int seed, double testFraction = DefaultTestFraction)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfNegative(testFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(testFraction, 1);

        var train = new List<(string, bool)>();
        var test = new List<(string, bool)>();
        foreach (var isSpam in new[] { true, false })
        {
            var ordered = examples
                .Select((example, index) => (example, index))
                .Where(x => x.example.IsSpam == isSpam)
                .OrderBy(x => Key(seed, x.example.Text))
                .ThenBy(x => x.index)
                .Select(x => x.example)
                .ToList();
            var testCount = (int)Math.Round(ordered.Count * testFraction, MidpointRounding.AwayFromZero);
            test.AddRange(ordered.Take(testCount));
            train.AddRange(ordered.Skip(testCount));
        }

        return (train, test);
    }

    private static ulong Key(int seed, string text)
    {
        var bytes = new byte[4 + Encoding.UTF8.GetMaxByteCount(text.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, seed);
        var length = 4 + Encoding.UTF8.GetBytes(text, bytes.AsSpan(4));
        return BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(bytes.AsSpan(0, length)));
    }
}
