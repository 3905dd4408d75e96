namespace QuikApp.Workers.Shared.Storage;

/// <summary>Objects as files under a root directory: bucket = subdirectory, key = relative path (confined by <see cref="LocalPathConfinement"/>).</summary>
/// <remarks>
/// The embedded default and the store for single-host deployments. Writes go to a temporary file beside the target and are
/// renamed over it, so readers see the old object or the new one, never half of one. No content type is recorded: stat
/// reports null for it.
/// </remarks>
public sealed class LocalDirectoryObjectStore : IObjectStore
{
    private const int BufferSize = 81_920;

    public LocalDirectoryObjectStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <summary>The absolute root directory; created on first write.</summary>
    public string Root { get; }

    public Task<ObjectInfo?> StatAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Only a regular file with one link is an object (LocalRegularFile): a FIFO, a device or a hard link is refused.
        return Task.FromResult(LocalRegularFile.Stat(Root, PathOf(location), location) is { } stat
            ? new ObjectInfo(stat.Size, ContentType: null, stat.Modified)
            : null);
    }

    public Task<Stream> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Non-blocking, no links, checks on the opened descriptor: a planted FIFO can never hold the caller (LocalRegularFile).
        // Files are opened without a share lock on POSIX, so housekeeping may delete or move the object while it is read.
        Stream stream = LocalRegularFile.OpenRead(Root, PathOf(location), location, BufferSize);
        return Task.FromResult(stream);
    }

    public async Task PutAsync(ObjectLocation location, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(location);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        LocalPathConfinement.EnsureNoLinks(Root, path, location);

        // Same directory as the target, so the rename below stays on one file system and is atomic.
        var temporary = Path.Join(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                // Durable before it becomes visible: a crash must not leave a renamed but empty file.
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public Task<bool> DeleteAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(location);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    public Task MoveAsync(ObjectLocation from, ObjectLocation to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var source = PathOf(from);
        var target = PathOf(to);
        if (!File.Exists(source))
        {
            // Re-run after a crash between the rename and whatever followed it: the move already happened.
            return File.Exists(target) ? Task.CompletedTask : throw new ObjectNotFoundException(from);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        LocalPathConfinement.EnsureNoLinks(Root, target, to);
        // A rename within one file system (atomic); across file systems File.Move copies, then deletes.
        File.Move(source, target, overwrite: true);
        return Task.CompletedTask;
    }

    private string PathOf(ObjectLocation location)
    {
        var path = LocalPathConfinement.Resolve(Root, location);
        LocalPathConfinement.EnsureNoLinks(Root, path, location);
        return path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind: a hidden .tmp file that the next write of the same key does not depend on.
        }
    }
}
