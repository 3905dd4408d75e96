using System.Buffers;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>
/// Maps a (bucket, key) from an untrusted document to a file under the local store's root, refusing anything that could
/// name a file elsewhere. Keys have exactly one spelling: '/'-separated non-empty segments, none of them "." or "..".
/// </summary>
/// <remarks>
/// Rejected: absolute paths, backslashes (a separator on Windows, so a key means the same everywhere), NUL and other
/// control characters, empty, "." and ".." segments, and anything whose full path is not under the root. Percent signs
/// are taken literally: "%2e%2e" is a file named %2e%2e. Symbolic links below the root are refused when traversed
/// (<see cref="EnsureNoLinks"/>): this store never creates them, so one found there was planted.
/// </remarks>
internal static class LocalPathConfinement
{
    private const int MaxKeyLength = 1024;
    private static readonly SearchValues<char> Forbidden = SearchValues.Create(
        "\\" + new string([.. Enumerable.Range(0, 0x20).Select(c => (char)c), (char)0x7f]));

    /// <summary>The absolute path of the object, or <see cref="ObjectLocationRejectedException"/> saying why there is none.</summary>
    public static string Resolve(string root, ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var bucket = location.Bucket;
        if (string.IsNullOrEmpty(bucket) || bucket.Contains('/', StringComparison.Ordinal) || bucket is "." or ".."
            || bucket.AsSpan().ContainsAny(Forbidden))
        {
            throw new ObjectLocationRejectedException(location, "a local bucket is one directory name (no '/', '\\', control characters, '.' or '..').");
        }

        var key = location.Key;
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            throw new ObjectLocationRejectedException(location, $"a key is 1-{MaxKeyLength} characters.");
        }

        if (key.AsSpan().ContainsAny(Forbidden))
        {
            throw new ObjectLocationRejectedException(location, "the key contains a backslash or a control character (NUL included).");
        }

        if (key.StartsWith('/') || Path.IsPathRooted(key))
        {
            throw new ObjectLocationRejectedException(location, "the key is an absolute path.");
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                throw new ObjectLocationRejectedException(location, "the key has an empty, '.' or '..' segment.");
            }
        }

        var bucketRoot = Path.Join(root, bucket);
        var full = Path.GetFullPath(Path.Join(bucketRoot, key));
        // Belt and braces: the rules above already keep the path inside, but the check is what the guarantee rests on.
        if (!full.StartsWith(bucketRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ObjectLocationRejectedException(location, "the key resolves outside its bucket.");
        }

        return full;
    }

    /// <summary>Refuses a path that passes through a symbolic link anywhere below <paramref name="root"/> (the root itself may be one).</summary>
    public static void EnsureNoLinks(string root, string fullPath, ObjectLocation location)
    {
        var current = fullPath;
        while (current.Length > root.Length && current.StartsWith(root, StringComparison.Ordinal))
        {
            // LinkTarget reads the link itself (lstat), so dangling links and links to directories are caught too.
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw new ObjectLocationRejectedException(location, "the path passes through a symbolic link inside the storage root.");
            }

            current = Path.GetDirectoryName(current) ?? root;
        }
    }
}
