namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>An image's stored size and EXIF orientation, and the size people see once the orientation is applied.</summary>
/// <param name="Width">Stored width in pixels, as the header gives it (one frame of an animation).</param>
/// <param name="Height">Stored height in pixels (one frame).</param>
/// <param name="Orientation">EXIF orientation 1-8; anything else is treated as 1 (as stored).</param>
public readonly record struct ImageGeometry(int Width, int Height, int Orientation = 1)
{
    /// <summary>True for orientations 5-8, which turn the image a quarter: displayed width is the stored height.</summary>
    public bool SwapsAxes => Orientation is >= 5 and <= 8;

    public int DisplayedWidth => SwapsAxes ? Height : Width;

    public int DisplayedHeight => SwapsAxes ? Width : Height;

    /// <summary>Pixels in one frame; what a decoder must hold, whatever the orientation.</summary>
    public long Pixels => (long)Width * Height;

    public int LongestSide => Math.Max(Width, Height);

    public override string ToString() => $"{Width}x{Height}";
}
