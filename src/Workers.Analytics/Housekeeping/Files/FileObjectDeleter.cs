using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Analytics.Housekeeping.Files;

/// <summary>What deleting one file's objects did: objects deleted, objects already absent, or why the file was refused.</summary>
internal sealed record FileObjectsOutcome(int Deleted, int Absent, string? Refusal)
{
    public bool IsRefused => Refusal is not null;
}

/// <summary>
/// Deletes a claimed file's objects: its original, then its derivatives. Idempotent (an object already gone counts as
/// absent); a location this worker may not touch refuses the whole file before anything is deleted.
/// </summary>
internal sealed class FileObjectDeleter(ObjectStorage storage)
{
    public async Task<FileObjectsOutcome> DeleteAsync(FileCleanupPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        int deleted = 0, absent = 0;
        try
        {
            if (plan.Original is { } original)
            {
                // The document is untrusted input: delete only where this worker may read originals (Storage:AllowedBuckets).
                storage.EnsureReadable(original);
            }

            // The original first: its location came from the document, and a key its store refuses (one leaving its bucket)
            // then refuses the file before anything is gone. The order is otherwise free: the document, deleted after all of
            // them, is what a re-run resumes from.
            IEnumerable<ObjectLocation> locations = plan.Original is { } first ? [first, .. plan.Derivatives] : plan.Derivatives;
            foreach (var location in locations)
            {
                // GridFS originals go through the gridfs store like any other provider: ObjectStorage resolves it by name.
                if (await storage.For(location.Provider).DeleteAsync(location, cancellationToken).ConfigureAwait(false))
                {
                    deleted++;
                }
                else
                {
                    absent++;
                }
            }

            return new FileObjectsOutcome(deleted, absent, null);
        }
        catch (Exception ex) when (ex is ObjectLocationRejectedException or ObjectAccessDeniedException)
        {
            return new FileObjectsOutcome(deleted, absent, ex.Message);
        }
    }
}
