using Microsoft.Extensions.Options;
using NetVips;
using QuikApp.Workers.Files.Sniffing;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>Renders an uploaded image's thumbnails with libvips, refusing what is not an image, too large, a bomb or damaged.</summary>
/// <remarks>
/// Order matters: sniff the bytes (the declared type never picks a decoder), read the header only, refuse above the
/// pixel cap, and only then decode — with shrink-on-load, EXIF auto-rotation, the first frame of an animation, and
/// <c>fail_on=truncated</c> so a cut-off upload fails instead of rendering a half-grey thumbnail. Every decode runs
/// inside the shared <see cref="DecodeGate"/>.
/// </remarks>
public sealed class ThumbnailRenderer
{
    // Passed in the option string: the failOn parameter of Image.Thumbnail* is NOT applied to the loader (a truncated
    // JPEG or PNG renders silently with it); the loader option "[fail_on=truncated]" does fail. Verified by tests.
    private const string LoaderOptions = "[fail_on=truncated]";

    private static readonly double[] White = [255, 255, 255];

    private readonly ThumbnailOptions _options;
    private readonly IReadOnlyList<ThumbnailSize> _sizes;
    private readonly DecodeGate _gate;

    public ThumbnailRenderer(IOptions<ThumbnailOptions> options, DecodeGate gate, ILogger<ThumbnailRenderer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _sizes = _options.EffectiveSizes;
        _gate = gate;
        LibvipsRuntime.Configure(_options.MaxConcurrentDecodes, logger);
    }

    /// <summary>Renders the configured sizes for <paramref name="content"/> (the whole file), or says why not.</summary>
    /// <param name="declaredMimeType">The uploader's mimeType: reported when it disagrees, never used to decode.</param>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for a decode slot or while decoding.</exception>
    public async Task<ThumbnailRendering> RenderAsync(byte[] content, string? declaredMimeType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var type = FileTypeSniffer.Sniff(content, declaredMimeType);

        if (type.Kind != FileKind.Image)
        {
            return ThumbnailRendering.Refused(type, null, ThumbnailRefusalKind.NotAnImage, $"not an image: content is {type}");
        }

        if (ImageHeader.ExpectedLoader(type.MimeType) is null)
        {
            var why = type.MimeType == "image/heic" ? " (the bundled libvips has no HEVC decoder)" : "";
            return ThumbnailRendering.Refused(type, null, ThumbnailRefusalKind.UnsupportedFormat, $"unsupported image format: {type.MimeType}{why}");
        }

        if (content.LongLength > _options.MaxInputBytes)
        {
            return ThumbnailRendering.Refused(type, null, ThumbnailRefusalKind.TooLarge,
                $"too large: {content.LongLength} bytes exceeds the {_options.MaxInputBytes}-byte limit for decoding");
        }

        return await _gate.RunAsync(token => Render(content, type, token), cancellationToken).ConfigureAwait(false);
    }

    private ThumbnailRendering Render(byte[] content, SniffedType type, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ImageHeader header;
        try
        {
            header = ImageHeader.Read(content);
        }
        catch (VipsException exception)
        {
            return ThumbnailRendering.Refused(type, null, DecodeFailure.Classify(exception.Message, content, type.MimeType));
        }

        if (!header.LoaderMatches(type.MimeType))
        {
            return ThumbnailRendering.Refused(type, header.Geometry, ThumbnailRefusalKind.DecoderError,
                $"decoder error: content sniffed as {type.MimeType} but libvips chose {header.Loader}");
        }

        var bomb = PixelCap.Check(header.Geometry, _options.MaxPixels);
        if (bomb is not null)
        {
            return ThumbnailRendering.Refused(type, header.Geometry, ThumbnailRefusalKind.DecompressionBomb, bomb);
        }

        var plan = ThumbnailPlan.Create(header.Geometry, _sizes, type.IsBrowserDisplayable);
        if (plan.Outputs.Count == 0)
        {
            return new ThumbnailRendering(type, header.Geometry, [], plan.Skipped, null);
        }

        try
        {
            var rendered = RenderPlan(content, plan, cancellationToken);
            return new ThumbnailRendering(type, header.Geometry, rendered, plan.Skipped, null);
        }
        catch (VipsException exception)
        {
            cancellationToken.ThrowIfCancellationRequested(); // a killed pipeline fails with a VipsException too
            return ThumbnailRendering.Refused(type, header.Geometry, DecodeFailure.Classify(exception.Message, content, type.MimeType));
        }
    }

    // The largest output is made from the file with shrink-on-load (JPEG decodes at 1/2…1/8 scale, WebP and HEIF
    // likewise); when there are smaller ones, that result is kept in memory and they are made from it, so the file is
    // decoded once however many sizes there are.
    private List<RenderedThumbnail> RenderPlan(byte[] content, ThumbnailPlan plan, CancellationToken cancellationToken)
    {
        var largestFirst = plan.Outputs.OrderByDescending(output => output.Bound).ToList();
        var rendered = new List<RenderedThumbnail>(largestFirst.Count);

        using var source = Source.NewFromMemory(content);
        using var largest = Image.ThumbnailSource(source, largestFirst[0].Bound, LoaderOptions, height: largestFirst[0].Bound, size: Enums.Size.Down);
        using var killOnCancel = cancellationToken.Register(static image => ((Image)image!).SetKill(true), largest);

        if (largestFirst.Count == 1)
        {
            rendered.Add(Encode(largestFirst[0].Name, largest));
            return rendered;
        }

        using var decoded = largest.CopyMemory();
        rendered.Add(Encode(largestFirst[0].Name, decoded));
        foreach (var output in largestFirst.Skip(1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var smaller = decoded.ThumbnailImage(output.Bound, height: output.Bound, size: Enums.Size.Down);
            rendered.Add(Encode(output.Name, smaller));
        }

        rendered.Reverse(); // smallest first, as planned
        return rendered;
    }

    // Metadata is not kept (keep=none): thumbnails are public-facing and EXIF carries GPS positions and camera serials;
    // thumbnail has already converted to sRGB, so the colour profile is not needed either.
    private RenderedThumbnail Encode(string name, Image image)
    {
        switch (_options.Format)
        {
            case ThumbnailFormat.Png:
                return new(name, image.PngsaveBuffer(compression: 6, keep: Enums.ForeignKeep.None), image.Width, image.Height, "image/png");
            case ThumbnailFormat.Jpeg:
                // JPEG has no alpha: transparent pixels become white rather than the black they would otherwise be.
                using (var opaque = image.HasAlpha() ? image.Flatten(background: White) : image.Copy())
                {
                    return new(name, opaque.JpegsaveBuffer(q: _options.Quality, optimizeCoding: true, keep: Enums.ForeignKeep.None), image.Width, image.Height, "image/jpeg");
                }

            default:
                return new(name, image.WebpsaveBuffer(q: _options.Quality, effort: _options.WebPEffort, keep: Enums.ForeignKeep.None), image.Width, image.Height, "image/webp");
        }
    }
}
