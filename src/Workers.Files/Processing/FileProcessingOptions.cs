using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Processing;

/// <summary>How files go through the pipeline: concurrency, memory, retries (configuration section <c>Files:Processing</c>).</summary>
public sealed class FileProcessingOptions
{
    public const string SectionName = "Files:Processing";

    /// <summary>Files of one batch processed at once (different fileIds; events of one file stay in order).</summary>
    [Range(1, 256, ErrorMessage = "Files:Processing:MaxConcurrentFiles must be between {1} and {2}.")]
    public int MaxConcurrentFiles { get; set; } = 4;

    /// <summary>
    /// Originals held at once by this process, across batches, partitions and the sweeper: a slot is taken before the
    /// download and given back once scanning and decoding are done. Memory for originals stays below this ×
    /// <c>Files:Thumbnails:MaxInputBytes</c> (larger originals are spooled to a temporary file, not held in memory).
    /// Defaults to twice the processor count, so downloads overlap the decodes.
    /// </summary>
    [Range(1, 1024, ErrorMessage = "Files:Processing:MaxOriginalsInMemory must be between {1} and {2}.")]
    public int MaxOriginalsInMemory { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>Attempts at a file whose scan ends in error (or whose location is refused) before the worker gives up on it.</summary>
    [Range(1, 100, ErrorMessage = "Files:Processing:MaxAttempts must be between {1} and {2}.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the sweeper retries a failed file; doubled after each further failure (15 min, 30 min, 1 h, …).</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Longest wait between two attempts, whatever the doubling says.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How long an upload event whose file document cannot be found is retried (the partition pauses) before it is
    /// dead-lettered. The file-service writes the document before publishing, so only replication lag or a lost write
    /// explains a miss.
    /// </summary>
    public TimeSpan MissingDocumentGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The configured thumbnail size (<c>Files:Thumbnails:Sizes</c>) whose URL becomes the document's <c>urls.thumbnail</c>.</summary>
    public string ThumbnailUrlSize { get; set; } = "thumbnail";
}

/// <summary>Checks <see cref="FileProcessingOptions"/> beyond ranges: time spans and that the URL size is a configured size.</summary>
internal sealed class FileProcessingOptionsValidator(IOptions<ThumbnailOptions> thumbnails) : IValidateOptions<FileProcessingOptions>
{
    public ValidateOptionsResult Validate(string? name, FileProcessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.RetryBackoff <= TimeSpan.Zero)
        {
            problems.Add($"{FileProcessingOptions.SectionName}:RetryBackoff must be positive (got {options.RetryBackoff}).");
        }

        if (options.MaxRetryBackoff < options.RetryBackoff)
        {
            problems.Add($"{FileProcessingOptions.SectionName}:MaxRetryBackoff ({options.MaxRetryBackoff}) must be at least RetryBackoff ({options.RetryBackoff}).");
        }

        if (options.MissingDocumentGrace < TimeSpan.Zero)
        {
            problems.Add($"{FileProcessingOptions.SectionName}:MissingDocumentGrace must not be negative (got {options.MissingDocumentGrace}).");
        }

        var sizes = thumbnails.Value.EffectiveSizes.Select(size => size.Name).ToList();
        if (!sizes.Contains(options.ThumbnailUrlSize, StringComparer.Ordinal))
        {
            problems.Add($"{FileProcessingOptions.SectionName}:ThumbnailUrlSize '{options.ThumbnailUrlSize}' is not one of the configured sizes ({string.Join(", ", sizes)}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
