namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Who builds an index: each worker bootstraps only the indexes it owns.</summary>
public enum IndexOwner
{
    Moderation,
    Files,

    /// <summary>
    /// The analytics worker: its $merge targets, and the scans its jobs need that no seed index serves, including
    /// <c>{ updatedAt: 1 }</c> on QuikApp_messages.messages (the one non-seed index there; see docs/analytics.md).
    /// </summary>
    Analytics,

    /// <summary>
    /// Indexes on QuikApp_messages, which the upstream message-service writes and indexes. They are declared so the
    /// contract is checked and tests and tools can build them; no worker builds them at start unless it asks to.
    /// </summary>
    MessageService,

    /// <summary>
    /// Shared scheduling infrastructure (job_runs): every worker that schedules jobs builds it, not one worker on behalf of
    /// the others, because the files and moderation workers schedule too and createIndexes is idempotent.
    /// <c>AddQuikAppScheduling</c> adds this owner to the worker's own.
    /// </summary>
    Scheduling,

    /// <summary>
    /// The analytics worker's TTL housekeeping (docs/analytics.md, "Housekeeping"): the scans for soft-deleted files and
    /// messages past retention and for files it has claimed. Built by the worker that calls <c>AddHousekeeping</c>.
    /// </summary>
    Housekeeping,
}
