namespace QuikApp.Workers.Files.Sniffing;

/// <summary>The broad family of a file, as its bytes show it: it picks the decoder and what metadata applies.</summary>
public enum FileKind
{
    /// <summary>Text, unknown bytes and formats no decoder here handles (SVG, office documents).</summary>
    Other,
    Image,
    Pdf,
    Audio,
    Video,
    Archive,
}
