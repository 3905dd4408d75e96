using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Fleet.Workload;

namespace QuikApp.Workers.Fleet.Observation;

/// <summary>Looks in local derivative storage for thumbnail objects (<c>thumbs/&lt;workspaceId&gt;/&lt;fileId&gt;.&lt;size&gt;.webp</c>).</summary>
internal static class DerivativeScan
{
    public static IReadOnlySet<Guid> FilesWithDerivatives(string storageRoot, IEnumerable<PlannedFile> files) =>
        files.Where(file =>
        {
            var directory = Path.Join(storageRoot, WorkerSettings.DerivativesBucket, "thumbs", file.WorkspaceId.ToString());
            return Directory.Exists(directory) && Directory.EnumerateFiles(directory, $"{file.FileId}.*").Any();
        }).Select(file => file.FileId).ToHashSet();
}
