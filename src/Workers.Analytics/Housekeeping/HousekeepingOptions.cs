using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Analytics.Housekeeping;

/// <summary>Settings of the TTL housekeeping jobs (section <c>Housekeeping</c>), validated at start naming the key.</summary>
public sealed class HousekeepingOptions
{
    public const string SectionName = "Housekeeping";

    /// <summary>The seed's TTL on <c>files.expiresAt</c> (a file expires at the date itself); replaced by a backstop, see <see cref="FilesExpireAfterSeconds"/>.</summary>
    public const int SeedFilesExpireAfterSeconds = 0;

    /// <summary>
    /// The smallest TTL on <c>files.expiresAt</c> ttl-indexes accepts: one day. Below it the TTL monitor competes with
    /// expired-files again and deletes documents whose stored objects were never deleted.
    /// </summary>
    public const int MinFilesExpireAfterSeconds = 86_400;

    /// <summary>The seed's TTL on <c>temp_uploads.createdAt</c>: one day.</summary>
    public const int SeedTempUploadsExpireAfterSeconds = 86_400;

    /// <summary>
    /// How far ahead of <c>expiresAt</c> expired-files claims a file, taking it out of the TTL monitor's hands. Must be at
    /// least the job's schedule interval (every 10 min by default), or a file can expire between two runs and the monitor
    /// deletes its document first, orphaning its objects. Default 15 min.
    /// </summary>
    public TimeSpan FileExpiryLeadTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a soft-deleted file (<c>deleted: true</c>) keeps its objects and document. Default 30 days.</summary>
    public TimeSpan FileSoftDeleteRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a soft-deleted message is kept before it and its cascade are hard-deleted. Default 30 days.</summary>
    public TimeSpan MessageRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Reactions younger than this are never judged orphans: a reaction can reach a secondary, or be written, moments
    /// before the message it belongs to is visible. Default 1 hour.
    /// </summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// orphan-reactions refuses to delete a batch in which more than this share of the judged reactions look orphaned
    /// (see <see cref="OrphanImplausibleMinBatch"/>), and fails the run instead: that many orphans means the existence check
    /// is wrong, not that the messages are gone. Default 0.5.
    /// </summary>
    public double OrphanImplausibleRatio { get; set; } = 0.5;

    /// <summary>The smallest number of judged reactions in a batch for <see cref="OrphanImplausibleRatio"/> to apply. Default 20.</summary>
    public int OrphanImplausibleMinBatch { get; set; } = 20;

    /// <summary>Documents per batch (files claimed, messages deleted, reactions scanned). Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Batches one run processes at most; the rest waits for the next run. Default 20.</summary>
    public int MaxBatchesPerRun { get; set; } = 20;

    /// <summary>Slowest operations recorded per database from system.profile. Default 10 (the seed's query limits to 10).</summary>
    public int SlowOpsLimit { get; set; } = 10;

    /// <summary>How far back the index-usage report reads system.profile. Default 24 hours.</summary>
    public TimeSpan SlowOpsWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// TTL of <c>QuikApp_files.files.expiresAt</c> that ttl-indexes enforces: a backstop days after expiresAt, so that only
    /// expired-files (which deletes the stored objects first) removes expired files. Default 7 days
    /// (<see cref="Shared.Mongo.MongoIndexCatalog.FilesExpiryBackstopSeconds"/>); at least <see cref="MinFilesExpireAfterSeconds"/>.
    /// </summary>
    public int FilesExpireAfterSeconds { get; set; } = Shared.Mongo.MongoIndexCatalog.FilesExpiryBackstopSeconds;

    /// <summary>TTL of <c>QuikApp_files.temp_uploads.createdAt</c> that ttl-indexes enforces. Default 86400 (the seed).</summary>
    public int TempUploadsExpireAfterSeconds { get; set; } = SeedTempUploadsExpireAfterSeconds;

    /// <summary>
    /// Thumbnail size names the files worker writes derivatives under (<c>Files:Thumbnails:Sizes</c>); empty means
    /// <see cref="DefaultDerivativeVariants"/>. Binding appends to a pre-filled list, hence empty + effective default.
    /// </summary>
    public IList<string> DerivativeVariants { get; } = [];

    /// <summary>Extensions derivatives are written with (<c>Files:Thumbnails:Format</c>); empty means <see cref="DefaultDerivativeExtensions"/>.</summary>
    public IList<string> DerivativeExtensions { get; } = [];

    /// <summary>The files worker's default thumbnail sizes.</summary>
    public static IReadOnlyList<string> DefaultDerivativeVariants { get; } = ["thumbnail", "preview"];

    /// <summary>The files worker's default thumbnail format.</summary>
    public static IReadOnlyList<string> DefaultDerivativeExtensions { get; } = ["webp"];

    public IReadOnlyList<string> EffectiveDerivativeVariants => DerivativeVariants.Count > 0 ? [.. DerivativeVariants] : DefaultDerivativeVariants;

    public IReadOnlyList<string> EffectiveDerivativeExtensions => DerivativeExtensions.Count > 0 ? [.. DerivativeExtensions] : DefaultDerivativeExtensions;

    /// <summary>The configuration key of a setting, for messages.</summary>
    public static string Key(string name) => $"{SectionName}:{name}";
}

/// <summary>Checks <see cref="HousekeepingOptions"/> at start; every message names the key and the value it got.</summary>
internal sealed partial class HousekeepingOptionsValidator : IValidateOptions<HousekeepingOptions>
{
    // The largest deleteMany/$in list we send: a batch's ids travel in one command (16 MiB BSON limit, far below).
    internal const int MaxBatchSize = 10_000;

    public ValidateOptionsResult Validate(string? name, HousekeepingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Positive(problems, nameof(options.FileExpiryLeadTime), options.FileExpiryLeadTime);
        Positive(problems, nameof(options.FileSoftDeleteRetention), options.FileSoftDeleteRetention);
        Positive(problems, nameof(options.MessageRetention), options.MessageRetention);
        Positive(problems, nameof(options.SlowOpsWindow), options.SlowOpsWindow);
        if (options.OrphanGracePeriod < TimeSpan.Zero)
        {
            problems.Add($"{HousekeepingOptions.Key(nameof(options.OrphanGracePeriod))} must not be negative (got {options.OrphanGracePeriod}).");
        }

        if (!(options.OrphanImplausibleRatio is > 0 and <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{HousekeepingOptions.Key(nameof(options.OrphanImplausibleRatio))} must be above 0 and at most 1 (got {options.OrphanImplausibleRatio})."));
        }

        Range(problems, nameof(options.OrphanImplausibleMinBatch), options.OrphanImplausibleMinBatch, 1, MaxBatchSize);
        Range(problems, nameof(options.BatchSize), options.BatchSize, 1, MaxBatchSize);
        Range(problems, nameof(options.MaxBatchesPerRun), options.MaxBatchesPerRun, 1, 100_000);
        Range(problems, nameof(options.SlowOpsLimit), options.SlowOpsLimit, 1, 1_000);
        // TTL expiry: MongoDB accepts 0..2147483647 seconds (a 32-bit int; NaN and negatives are refused).
        // Not below a day: the TTL on files.expiresAt is a backstop behind expired-files, never the expiry itself.
        Range(problems, nameof(options.FilesExpireAfterSeconds), options.FilesExpireAfterSeconds, HousekeepingOptions.MinFilesExpireAfterSeconds, int.MaxValue);
        Range(problems, nameof(options.TempUploadsExpireAfterSeconds), options.TempUploadsExpireAfterSeconds, 0, int.MaxValue);

        foreach (var variant in options.DerivativeVariants)
        {
            if (!Variant().IsMatch(variant ?? string.Empty))
            {
                problems.Add($"{HousekeepingOptions.Key(nameof(options.DerivativeVariants))} '{variant}' must be 1-32 lowercase letters, digits or dashes, starting with a letter or digit (a thumbnail size name).");
            }
        }

        foreach (var extension in options.DerivativeExtensions)
        {
            if (!Extension().IsMatch((extension ?? string.Empty).TrimStart('.')))
            {
                problems.Add($"{HousekeepingOptions.Key(nameof(options.DerivativeExtensions))} '{extension}' must be 1-10 lowercase letters or digits (e.g. webp).");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Positive(List<string> problems, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{HousekeepingOptions.Key(key)} must be positive (got {value}).");
        }
    }

    private static void Range(List<string> problems, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{HousekeepingOptions.Key(key)} must be between {min} and {max} (got {value})."));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex Variant();

    [GeneratedRegex("^[a-z0-9]{1,10}$", RegexOptions.CultureInvariant)]
    private static partial Regex Extension();
}
