using QuikApp.Workers.Files.Sniffing;

namespace QuikApp.Workers.Files.Processing;

/// <summary>
/// An original's bytes while it is scanned and decoded: in memory when it is small enough to decode
/// (<c>Files:Thumbnails:MaxInputBytes</c>), otherwise in a file (a temporary spool deleted on dispose, or the
/// operator's own file for <c>process-file</c>), or not read at all when clamd would refuse its length anyway.
/// </summary>
internal sealed class OriginalContent : IAsyncDisposable
{
    private const int FileBufferSize = 81_920;
    private readonly string? _path;
    private readonly bool _deleteOnDispose;

    private OriginalContent(long length, byte[]? bytes, string? path, bool deleteOnDispose)
    {
        Length = length;
        Bytes = bytes;
        _path = path;
        _deleteOnDispose = deleteOnDispose;
    }

    /// <summary>The original's length in bytes (from the stat, or the file).</summary>
    public long Length { get; }

    /// <summary>The whole original, when it is held in memory (small enough to decode); null otherwise.</summary>
    public byte[]? Bytes { get; }

    /// <summary>False when nothing was read (the length alone decided the scan).</summary>
    public bool IsReadable => Bytes is not null || _path is not null;

    public static OriginalContent InMemory(byte[] bytes) => new(bytes.LongLength, bytes, null, deleteOnDispose: false);

    /// <summary>An original known only by its length: clamd would refuse it, so it is not downloaded.</summary>
    public static OriginalContent NotRead(long length) => new(length, null, null, deleteOnDispose: false);

    /// <summary>An existing file read in place (the <c>process-file</c> verb).</summary>
    public static OriginalContent InFile(string path, long length) => new(length, null, path, deleteOnDispose: false);

    /// <summary>
    /// Reads <paramref name="source"/> to its end, never more than <paramref name="maxBytes"/> (clamd's limit) whatever the
    /// stat said: into memory when <paramref name="length"/> is at most <paramref name="inMemoryLimit"/>, else into a temporary file.
    /// </summary>
    /// <param name="length">The stat's length. A source longer than <paramref name="maxBytes"/> (a device, a file that grew)
    /// comes back <see cref="NotRead"/> with a length past the limit: clamd would refuse it, so nothing more is read.</param>
    /// <exception cref="IOException">The source grew past <paramref name="inMemoryLimit"/> since the stat (read into memory):
    /// transient; a retry stats it again.</exception>
    public static async Task<OriginalContent> ReadAsync(Stream source, long length, long inMemoryLimit, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (length <= inMemoryLimit)
        {
            var limit = Math.Min(inMemoryLimit, maxBytes);
            using var buffer = new MemoryStream(checked((int)Math.Clamp(length, 0, limit)));
            if (!await CopyAtMostAsync(source, buffer, limit, cancellationToken).ConfigureAwait(false))
            {
                return limit == maxBytes
                    ? NotRead(maxBytes + 1)
                    : throw new IOException($"The original grew past {inMemoryLimit} bytes since its stat ({length} bytes); reading stopped there.");
            }

            var bytes = buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
            return InMemory(bytes);
        }

        var path = Path.Join(Path.GetTempPath(), $"quikapp-original-{Guid.NewGuid():N}");
        try
        {
            var spool = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileBufferSize, FileOptions.Asynchronous);
            await using (spool.ConfigureAwait(false))
            {
                if (!await CopyAtMostAsync(source, spool, maxBytes, cancellationToken).ConfigureAwait(false))
                {
                    await spool.DisposeAsync().ConfigureAwait(false);
                    TryDelete(path);
                    return NotRead(maxBytes + 1);
                }

                return new OriginalContent(spool.Length, null, path, deleteOnDispose: true);
            }
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Copies until the end of <paramref name="source"/>; false, having copied <paramref name="max"/> bytes, when there is more.</summary>
    private static async Task<bool> CopyAtMostAsync(Stream source, Stream target, long max, CancellationToken cancellationToken)
    {
        var chunk = new byte[FileBufferSize];
        long copied = 0;
        while (true)
        {
            var wanted = (int)Math.Min(chunk.Length, max - copied + 1);
            var read = await source.ReadAsync(chunk.AsMemory(0, wanted), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return true;
            }

            if (copied + read > max)
            {
                return false;
            }

            await target.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            copied += read;
        }
    }

    /// <summary>A fresh read-only stream over the bytes, from the start.</summary>
    public Stream OpenRead()
    {
        if (Bytes is not null)
        {
            return new MemoryStream(Bytes, writable: false);
        }

        return _path is not null
            ? new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : throw new InvalidOperationException("The original was not read (its length alone decided the scan).");
    }

    /// <summary>The first bytes, for the type sniffer.</summary>
    public async Task<byte[]> ReadHeadAsync(CancellationToken cancellationToken)
    {
        if (Bytes is not null)
        {
            return Bytes.Length <= FileTypeSniffer.HeadLength ? Bytes : Bytes[..FileTypeSniffer.HeadLength];
        }

        if (_path is null)
        {
            return [];
        }

        var stream = OpenRead();
        await using (stream.ConfigureAwait(false))
        {
            var head = new byte[(int)Math.Min(FileTypeSniffer.HeadLength, Length)];
            var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return read == head.Length ? head : head[..read];
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_deleteOnDispose && _path is not null)
        {
            TryDelete(_path);
        }

        return ValueTask.CompletedTask;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover spool file in the temp directory is harmless; failing the file over it is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
