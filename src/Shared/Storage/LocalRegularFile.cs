using Microsoft.Win32.SafeHandles;
using Mono.Unix.Native;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>
/// Opens and stats an object's file under the local store's root so that no planted file can stall or escape a worker:
/// only a regular file with one link, on the root's file system, is an object.
/// </summary>
/// <remarks>
/// <para>
/// A FIFO blocks <c>open(2)</c> until a writer comes, and a blocked open holds the worker's memory slot forever (a call
/// abandoned by a timeout does not unblock the thread); a device may read without end whatever stat says; a hard link
/// makes a file outside the root readable through a name inside it (the symbolic-link check cannot see it). So the file
/// is opened with <c>O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC</c> — the open never waits, and a link in the last component
/// fails — and the checks run on the <b>opened</b> descriptor (<c>fstat(2)</c>), so swapping the file between a check and
/// the open cannot get past them. <c>O_NONBLOCK</c> does nothing to reads of a regular file.
/// </para>
/// <para>POSIX only (the workers run on Linux; Mono.Unix carries the native shim). Elsewhere the plain open is used.</para>
/// </remarks>
internal static class LocalRegularFile
{
    private const OpenFlags ReadFlags = OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC;

    /// <summary>Opens <paramref name="path"/> for reading, or throws the storage exception that says why it is not an object.</summary>
    public static FileStream OpenRead(string root, string path, ObjectLocation location, int bufferSize)
    {
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize, FileOptions.SequentialScan);
        }

        var descriptor = Syscall.open(path, ReadFlags);
        if (descriptor < 0)
        {
            throw OpenFailure(Stdlib.GetLastError(), location);
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            if (Syscall.fstat(descriptor, out var stat) != 0)
            {
                throw new IOException($"fstat failed on the object's file: {Stdlib.GetLastError()}");
            }

            Check(stat, root, location);
            return new FileStream(handle, FileAccess.Read, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The size and modification time of the object's file, null when there is none; throws when the file is not an object.</summary>
    public static (long Size, DateTimeOffset Modified)? Stat(string root, string path, ObjectLocation location)
    {
        if (OperatingSystem.IsWindows())
        {
            var file = new FileInfo(path);
            return file.Exists ? (file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)) : null;
        }

        if (Syscall.lstat(path, out var stat) != 0)
        {
            var error = Stdlib.GetLastError();
            return error is Errno.ENOENT or Errno.ENOTDIR ? null : throw OpenFailure(error, location);
        }

        if (Kind(stat) == FilePermissions.S_IFDIR)
        {
            return null; // a key naming a directory is not an object
        }

        Check(stat, root, location);
        return (stat.st_size, DateTimeOffset.FromUnixTimeSeconds(stat.st_mtime).AddTicks(stat.st_mtime_nsec / 100));
    }

    private static void Check(Stat stat, string root, ObjectLocation location)
    {
        var kind = Kind(stat);
        if (kind != FilePermissions.S_IFREG)
        {
            throw new ObjectLocationRejectedException(location, $"the file is not a regular file ({Describe(kind)}).");
        }

        if (stat.st_nlink != 1)
        {
            throw new ObjectLocationRejectedException(location, $"the file has {stat.st_nlink} hard links; this store never makes one, so it was planted.");
        }

        // stat (not lstat): the root itself may be a symbolic link to the volume.
        if (Syscall.stat(root, out var rootStat) == 0 && rootStat.st_dev != stat.st_dev)
        {
            throw new ObjectLocationRejectedException(location, "the file is on another file system than the storage root.");
        }
    }

    private static FilePermissions Kind(Stat stat) => stat.st_mode & FilePermissions.S_IFMT;

    private static string Describe(FilePermissions kind) => kind switch
    {
        FilePermissions.S_IFIFO => "a FIFO",
        FilePermissions.S_IFCHR => "a character device",
        FilePermissions.S_IFBLK => "a block device",
        FilePermissions.S_IFSOCK => "a socket",
        FilePermissions.S_IFLNK => "a symbolic link",
        FilePermissions.S_IFDIR => "a directory",
        _ => "not a regular file",
    };

    private static Exception OpenFailure(Errno error, ObjectLocation location) => error switch
    {
        Errno.ENOENT or Errno.ENOTDIR => new ObjectNotFoundException(location),
        Errno.ELOOP => new ObjectLocationRejectedException(location, "the path ends in a symbolic link inside the storage root."),
        Errno.EISDIR => new ObjectNotFoundException(location),
        Errno.EACCES or Errno.EPERM => new ObjectAccessDeniedException(location, "the file is not readable by this process.",
            new UnauthorizedAccessException(error.ToString())),
        _ => new IOException($"Opening the object's file failed: {error}."),
    };
}
