using QuikApp.Workers.Files.Sniffing;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Files.Metadata;

/// <summary>What <see cref="MetadataReader"/> learnt about a file: the media facts for the document's <c>metadata</c>, and notes on what it could not read.</summary>
/// <param name="Type">The sniffed type the reader went by.</param>
/// <param name="Media">Width/height (displayed, images and video), duration (seconds), pages; null where unknown or not applicable.</param>
/// <param name="Notes">Why a fact that applies is missing ("broken PDF: …", "duration: no reader for audio/ogg"); empty when nothing is.</param>
public sealed record FileMetadata(SniffedType Type, FileMediaMetadata Media, IReadOnlyList<string> Notes)
{
    public static readonly FileMediaMetadata NoMedia = new(null, null, null, null);
}
