using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Analytics.Housekeeping.Files;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Files;

/// <summary>
/// Deleting a claimed file's objects against the local-disk store (real files in a temporary directory): exactly the
/// file's original and derivatives go, everything else stays; re-running is harmless; a location the worker may not
/// read refuses the file before anything is deleted.
/// </summary>
public sealed class FileObjectDeleterTests : IDisposable
{
    private readonly string _root = Path.Join(Path.GetTempPath(), $"quikapp-housekeeping-{Guid.NewGuid():N}");
    private readonly ObjectStorage _storage;

    public FileObjectDeleterTests()
    {
        var options = new ObjectStorageOptions
        {
            Derivatives = new StorageTarget { Provider = "local", Bucket = "derivatives", Prefix = "thumbs" },
            Quarantine = new StorageTarget { Provider = "local", Bucket = "quarantine", Prefix = "quarantine" },
        };
        options.Providers["local"] = new StorageProviderSettings { Root = _root };
        options.AllowedBuckets["local"] = ["files"];
        _storage = new ObjectStorage(new Dictionary<string, IObjectStore> { ["local"] = new LocalDirectoryObjectStore(_root) }, options);
    }

    [Fact]
    public async Task DeleteAsync_ExpiredFile_DeletesItsOriginalAndDerivativesAndNothingElse()
    {
        var ct = TestContext.Current.CancellationToken;
        var other = Guid.NewGuid();
        var mine = Write("files/workspaces/ws/files/f.pdf", $"derivatives/thumbs/{FileCleanupPlanTests.WorkspaceId}/{FileCleanupPlanTests.FileId}.thumbnail.webp",
            $"derivatives/thumbs/{FileCleanupPlanTests.WorkspaceId}/{FileCleanupPlanTests.FileId}.preview.webp");
        var theirs = Write("files/workspaces/ws/files/g.pdf", $"derivatives/thumbs/{FileCleanupPlanTests.WorkspaceId}/{other}.thumbnail.webp",
            "quarantine/quarantine/local/files/workspaces/ws/files/f.pdf");
        var plan = Plan("{ provider: 'local', bucket: 'files', key: 'workspaces/ws/files/f.pdf' }");

        var outcome = await new FileObjectDeleter(_storage).DeleteAsync(plan, ct);

        Assert.False(outcome.IsRefused);
        Assert.Equal(3, outcome.Deleted);
        Assert.Equal(1, outcome.Absent); // the single-derivative key was never written
        Assert.All(mine, path => Assert.False(File.Exists(path), path));
        Assert.All(theirs, path => Assert.True(File.Exists(path), path));
    }

    [Fact]
    public async Task DeleteAsync_RunAgainAfterACrash_FindsEverythingAbsentAndSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        Write("files/workspaces/ws/files/f.pdf");
        var plan = Plan("{ provider: 'local', bucket: 'files', key: 'workspaces/ws/files/f.pdf' }");
        var deleter = new FileObjectDeleter(_storage);
        await deleter.DeleteAsync(plan, ct);

        var again = await deleter.DeleteAsync(plan, ct);

        Assert.False(again.IsRefused);
        Assert.Equal(0, again.Deleted);
        Assert.Equal(plan.Derivatives.Count + 1, again.Absent);
    }

    [Theory]
    [InlineData("{ provider: 'local', bucket: 'not-allowed', key: 'workspaces/ws/files/f.pdf' }", "not-allowed")]
    [InlineData("{ provider: 's3', bucket: 'files', key: 'workspaces/ws/files/f.pdf' }", "not configured")]
    [InlineData("{ provider: 'local', bucket: 'files', key: '../derivatives/x' }", "..")]
    public async Task DeleteAsync_OriginalThisWorkerMayNotTouch_RefusesBeforeDeletingAnything(string storage, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        var derivatives = Write($"derivatives/thumbs/{FileCleanupPlanTests.WorkspaceId}/{FileCleanupPlanTests.FileId}.thumbnail.webp");

        var outcome = await new FileObjectDeleter(_storage).DeleteAsync(Plan(storage), ct);

        Assert.True(outcome.IsRefused);
        Assert.Contains(reason, outcome.Refusal!, StringComparison.Ordinal);
        Assert.Equal(0, outcome.Deleted);
        Assert.All(derivatives, path => Assert.True(File.Exists(path), path));
    }

    [Fact]
    public async Task DeleteAsync_NoOriginalRecorded_DeletesTheDerivativesOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        var derivatives = Write($"derivatives/thumbs/{FileCleanupPlanTests.WorkspaceId}/{FileCleanupPlanTests.FileId}.webp");
        var plan = Plan("null");

        var outcome = await new FileObjectDeleter(_storage).DeleteAsync(plan, ct);

        Assert.Equal(1, outcome.Deleted);
        Assert.All(derivatives, path => Assert.False(File.Exists(path), path));
    }

    public void Dispose()
    {
        _storage.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private FileCleanupPlan Plan(string storage) =>
        FileCleanupPlan.For(FileCleanupPlanTests.FileDocument(storage), DerivativeKeys.From(_storage.Options, new HousekeepingOptions()));

    /// <summary>Writes files at these paths under the root (bucket/key); returns their full paths.</summary>
    private List<string> Write(params string[] relativePaths)
    {
        var paths = relativePaths.Select(relative => Path.Join(_root, relative)).ToList();
        foreach (var path in paths)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, path);
        }

        return paths;
    }
}
