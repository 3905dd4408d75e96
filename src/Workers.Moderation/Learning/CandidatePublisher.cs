namespace QuikApp.Workers.Moderation.Learning;

/// <summary>A candidate as the registry now holds it, and what this publication changed.</summary>
/// <param name="AlreadyDecided">The same model (same zip hash) was decided before; its status was left as it was.</param>
public sealed record PublishedCandidate(ModelRecord Record, bool Uploaded, bool Inserted, bool AlreadyDecided);

/// <summary>
/// Puts a trained candidate into the registry and applies its promotion decision: zip to GridFS, record to
/// <c>models</c> as a candidate, then promoted or rejected. Each step is idempotent, so a rerun finishes what a crash
/// interrupted.
/// </summary>
/// <remarks>
/// Ids are content hashes, so retraining on the same labels produces the same model id. A model already decided
/// (promoted, rejected, retired, possibly by an operator's rollback) keeps its status: a rerun must not undo a
/// rollback by promoting the model again. Only its promotion's retire step is repeated, in case a crash cut it off.
/// </remarks>
public sealed class CandidatePublisher(IModelRegistry registry, IModelFileStore files, TimeProvider time)
{
    public async Task<PublishedCandidate> PublishAsync(
        CandidateEvaluation evaluation,
        string baselineVersion,
        string trainingSetId,
        LearningOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(options);
        if (evaluation is not { Zip: { } zip, Candidate: { } metrics, Baseline: { } baseline, Decision: { } decision })
        {
            throw new ArgumentException($"the {evaluation.Kind.ToWire()} evaluation was skipped: nothing to publish", nameof(evaluation));
        }

        var now = time.GetUtcNow();
        var sha = ModelRecords.Sha256Of(zip);
        var id = ModelRecords.IdFor(evaluation.Kind, sha);
        var existing = await registry.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Status != ModelStatus.Candidate)
        {
            if (existing.Status == ModelStatus.Promoted)
            {
                await registry.PromoteAsync(id, evaluation.Kind, now, cancellationToken).ConfigureAwait(false);
            }

            return new PublishedCandidate(existing, Uploaded: false, Inserted: false, AlreadyDecided: true);
        }

        // The file before the record: a promoted record must always find its zip.
        var uploaded = await files.UploadIfAbsentAsync(id, zip, cancellationToken).ConfigureAwait(false);
        var record = new ModelRecord(
            id,
            evaluation.Kind,
            ModelStatus.Candidate,
            sha,
            zip.Length,
            metrics,
            new ModelBaseline(baselineVersion, baseline),
            trainingSetId,
            GridFsId: id,
            new ModelTraining(evaluation.TrainCount, evaluation.TestCount, options.Seed, options.HeldOutFraction,
                Math.Round(evaluation.TrainingTime.TotalSeconds, 3)),
            decision.Reason,
            now,
            PromotedAt: null);
        var inserted = await registry.AddAsync(record, cancellationToken).ConfigureAwait(false);
        if (decision.Promote)
        {
            await registry.PromoteAsync(id, evaluation.Kind, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await registry.RejectAsync(id, cancellationToken).ConfigureAwait(false);
        }

        var stored = await registry.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? record;
        return new PublishedCandidate(stored, uploaded, inserted, AlreadyDecided: false);
    }
}
