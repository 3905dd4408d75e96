using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>What one look at the registry did for one kind of model.</summary>
public enum ModelSyncResult
{
    /// <summary>The running model is the newest promoted one (or none is promoted and none runs).</summary>
    Unchanged,

    /// <summary>A newly promoted model was downloaded, checked, loaded and swapped in.</summary>
    Installed,

    /// <summary>Nothing is promoted any more (rolled back): back to the model the worker started with.</summary>
    Reverted,

    /// <summary>The registry or the download failed, or the zip was refused; the running model stays.</summary>
    Failed,
}

/// <summary>
/// Brings the running models in line with the registry: installs the newest promoted model of each kind into its
/// holder when it differs from the one running, and falls back to the start-up model (bundled or configured spam
/// model; no learnt toxicity model) when nothing is promoted. Never throws except on cancellation; failures keep the
/// running model and are logged as warnings. Used by <see cref="PromotedModelWatcher"/> and, before it grades the
/// current model, by <see cref="ModerationRetrainingJob"/>.
/// </summary>
public sealed partial class PromotedModelSync : IDisposable
{
    private readonly IModelRegistry _registry;
    private readonly IModelFileStore _files;
    private readonly SpamModelHolder _spam;
    private readonly ToxicityModelHolder _toxicity;
    private readonly ILogger<PromotedModelSync> _logger;
    private readonly SpamClassifier _startupSpam;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<ModelKind, string?> _installed = new() { [ModelKind.Spam] = null, [ModelKind.Toxicity] = null };

    // Zips that failed their checks are not fetched again every interval; a new promotion (another id) is.
    private readonly Dictionary<ModelKind, string?> _refused = new() { [ModelKind.Spam] = null, [ModelKind.Toxicity] = null };

    public PromotedModelSync(
        IModelRegistry registry,
        IModelFileStore files,
        SpamModelHolder spam,
        ToxicityModelHolder toxicity,
        ILogger<PromotedModelSync> logger)
    {
        ArgumentNullException.ThrowIfNull(spam);
        _registry = registry;
        _files = files;
        _spam = spam;
        _toxicity = toxicity;
        _logger = logger;
        _startupSpam = spam.Current;
    }

    /// <summary>The registry id of the model of <paramref name="kind"/> installed by this sync; null while the start-up model runs.</summary>
    public string? InstalledModelId(ModelKind kind)
    {
        lock (_installed)
        {
            return _installed[kind];
        }
    }

    /// <summary>Looks once at the registry for every kind. Safe to call concurrently (calls run one at a time).</summary>
    public async Task<IReadOnlyDictionary<ModelKind, ModelSyncResult>> SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var results = new Dictionary<ModelKind, ModelSyncResult>();
            foreach (var kind in ModelKinds.All)
            {
                results[kind] = await SyncKindAsync(kind, cancellationToken).ConfigureAwait(false);
            }

            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ModelSyncResult> SyncKindAsync(ModelKind kind, CancellationToken cancellationToken)
    {
        var running = InstalledModelId(kind);
        ModelRecord? newest;
        try
        {
            newest = await _registry.NewestPromotedAsync(kind, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRegistryFailed(ex, kind.ToWire());
            return ModelSyncResult.Failed;
        }

        if (newest is null)
        {
            if (running is null)
            {
                return ModelSyncResult.Unchanged;
            }

            Revert(kind);
            SetInstalled(kind, null);
            LogReverted(kind.ToWire(), running);
            return ModelSyncResult.Reverted;
        }

        if (newest.Id == running)
        {
            return ModelSyncResult.Unchanged;
        }

        if (newest.Id == _refused[kind])
        {
            return ModelSyncResult.Failed;
        }

        byte[] zip;
        try
        {
            zip = await _files.DownloadAsync(newest.GridFsId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Most likely MongoDB is briefly unreachable: the next look retries.
            LogDownloadFailed(ex, kind.ToWire(), newest.Id);
            return ModelSyncResult.Failed;
        }

        string previousVersion;
        try
        {
            previousVersion = Install(kind, newest, zip);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _refused[kind] = newest.Id;
            LogRefused(ex, kind.ToWire(), newest.Id);
            return ModelSyncResult.Failed;
        }

        SetInstalled(kind, newest.Id);
        LogInstalled(kind.ToWire(), newest.Id, previousVersion);
        return ModelSyncResult.Installed;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Checks the zip against the registry's hash, loads it and swaps it in; returns the replaced model's version.</summary>
    private string Install(ModelKind kind, ModelRecord record, byte[] zip)
    {
        var sha = ModelRecords.Sha256Of(zip);
        if (!string.Equals(sha, record.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the zip's SHA-256 {sha} is not the registry's {record.Sha256}");
        }

        // The registry's createdAt is the training time; it becomes part of the model's version.
        switch (kind)
        {
            case ModelKind.Spam:
                return _spam.Swap(SpamClassifier.Load(zip, record.CreatedAt)).ModelVersion;
            case ModelKind.Toxicity:
                return _toxicity.Swap(ToxicityModelClassifier.Load(zip, record.CreatedAt))?.ModelVersion ?? "none";
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private void Revert(ModelKind kind)
    {
        if (kind == ModelKind.Spam)
        {
            _spam.Swap(_startupSpam);
        }
        else
        {
            _toxicity.Swap(null);
        }
    }

    private void SetInstalled(ModelKind kind, string? id)
    {
        lock (_installed)
        {
            _installed[kind] = id;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Installed the promoted {Kind} model {ModelId} (replacing {PreviousVersion})")]
    private partial void LogInstalled(string kind, string modelId, string previousVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No {Kind} model is promoted any more (was {ModelId}): back to the start-up model")]
    private partial void LogReverted(string kind, string modelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the promoted {Kind} model from the registry; the running model stays")]
    private partial void LogRegistryFailed(Exception exception, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not download the promoted {Kind} model {ModelId}; the running model stays, retrying at the next look")]
    private partial void LogDownloadFailed(Exception exception, string kind, string modelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the promoted {Kind} model {ModelId} (corrupt or unreadable zip); the running model stays until another is promoted")]
    private partial void LogRefused(Exception exception, string kind, string modelId);
}
