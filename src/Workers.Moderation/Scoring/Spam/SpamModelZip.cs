using System.IO.Compression;
using Microsoft.ML;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>Writes a spam model as a zip whose bytes depend only on the model, so its hash can be its version.</summary>
public static class SpamModelZip
{
    // ML.NET stamps each zip entry with the time of saving; the same model saved twice would hash differently.
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] Write(ITransformer model, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        using var saved = new MemoryStream();
        new MLContext(seed: 0).Model.Save(model, inputSchema, saved);
        saved.Position = 0;

        using var normalized = new MemoryStream();
        using (var source = new ZipArchive(saved, ZipArchiveMode.Read))
        using (var target = new ZipArchive(normalized, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = EntryTime;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return normalized.ToArray();
    }
}
