using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>Bounds how many decodes (libvips, PdfPig) run at once, so a flood of large uploads queues instead of exhausting memory.</summary>
/// <remarks>
/// Decoding is CPU-bound and synchronous; callers wait asynchronously for a slot (cancellable), then the work runs on
/// the thread pool. With slots = cores, total decode memory is about slots × the largest single decode.
/// </remarks>
public sealed class DecodeGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public DecodeGate(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        Slots = slots;
        _slots = new SemaphoreSlim(slots, slots);
    }

    public DecodeGate(IOptions<ThumbnailOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.MaxConcurrentDecodes)
    {
    }

    /// <summary>How many decodes may run at once.</summary>
    public int Slots { get; }

    /// <summary>Decodes running now.</summary>
    public int Running => Slots - _slots.CurrentCount;

    /// <summary>Waits for a slot, runs <paramref name="work"/> on the thread pool and frees the slot when it ends.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => work(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
