namespace QuikApp.Workers.Shared.Storage;

/// <summary>
/// A forward-only read view of a store's stream that stops at a byte limit (an object replaced by a bigger one between stat
/// and read still cannot exceed it) and disposes whatever owns the underlying stream (an S3 response).
/// </summary>
internal sealed class GuardedReadStream(Stream inner, ObjectLocation location, long? maxBytes = null, IDisposable? owner = null) : Stream
{
    private long _read;
    private bool _disposed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("Object streams are forward-only; use ObjectInfo.Size.");

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException("Object streams are forward-only.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(Limit(buffer)));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(Limit(buffer), cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("Object streams are forward-only.");

    public override void SetLength(long value) => throw new NotSupportedException("Object streams are read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Object streams are read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            inner.Dispose();
            owner?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await inner.DisposeAsync().ConfigureAwait(false);
            owner?.Dispose();
        }

        // Stream.DisposeAsync ends in Dispose(true), which finds everything released already.
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // Ask for at most one byte past the limit: reading it proves the object is too large without pulling more of it.
    private Span<byte> Limit(Span<byte> buffer) =>
        maxBytes is { } max && buffer.Length > max - _read + 1 ? buffer[..(int)(max - _read + 1)] : buffer;

    private Memory<byte> Limit(Memory<byte> buffer) =>
        maxBytes is { } max && buffer.Length > max - _read + 1 ? buffer[..(int)(max - _read + 1)] : buffer;

    private int Count(int read)
    {
        _read += read;
        if (maxBytes is { } max && _read > max)
        {
            throw new ObjectTooLargeException(location, size: null, max);
        }

        return read;
    }
}
