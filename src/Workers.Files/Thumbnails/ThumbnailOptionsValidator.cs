using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>Checks what data annotations cannot in <see cref="ThumbnailOptions"/>: each size's name and bound, unique names, a known format.</summary>
/// <remarks>Every message names the configuration key, so a bad deployment fails at start with the setting to fix.</remarks>
public sealed partial class ThumbnailOptionsValidator : IValidateOptions<ThumbnailOptions>
{
    /// <summary>Smallest and largest bound accepted; WebP cannot encode beyond 16383 px, and previews past 8K are not thumbnails.</summary>
    public const int MinBound = 16;

    public const int MaxBound = 8192;

    public ValidateOptionsResult Validate(string? name, ThumbnailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (!Enum.IsDefined(options.Format))
        {
            failures.Add($"{ThumbnailOptions.SectionName}:Format '{options.Format}' is not a thumbnail format; use one of {string.Join(", ", Enum.GetNames<ThumbnailFormat>())}.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Sizes.Count; i++)
        {
            var size = options.Sizes[i];
            var key = $"{ThumbnailOptions.SectionName}:Sizes:{i}";
            if (size is null)
            {
                failures.Add($"{key} is empty; give it a Name and a Bound.");
                continue;
            }

            if (!SizeName().IsMatch(size.Name))
            {
                failures.Add($"{key}:Name '{size.Name}' must be 1-32 lower-case letters, digits or dashes (it becomes part of storage keys).");
            }
            else if (!seen.Add(size.Name))
            {
                failures.Add($"{key}:Name '{size.Name}' is used by another size; names must be unique.");
            }

            if (size.Bound is < MinBound or > MaxBound)
            {
                failures.Add($"{key}:Bound {size.Bound} must be between {MinBound} and {MaxBound} pixels.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex SizeName();
}
