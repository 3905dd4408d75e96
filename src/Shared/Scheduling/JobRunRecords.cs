using System.Text.RegularExpressions;
using MongoDB.Bson;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>A run as job_runs records it when it starts (status <c>running</c>).</summary>
public sealed record JobRunStart(
    Guid RunId,
    string Job,
    JobRunTrigger Trigger,
    JobWindow Window,
    DateTimeOffset? ScheduledFireTime,
    DateTimeOffset StartedAt,
    string Owner)
{
    /// <summary>The inserted document: <c>{ _id, job, window: { from, to }, scheduledFireTime, startedAt, status, owner, trigger }</c>.</summary>
    public BsonDocument ToDocument() => new()
    {
        { JobRunFields.Id, new BsonBinaryData(RunId, GuidRepresentation.Standard) },
        { JobRunFields.Job, Job },
        { JobRunFields.Window, JobRunFields.WindowDocument(Window) },
        { JobRunFields.ScheduledFireTime, JobRunFields.DateOrNull(ScheduledFireTime) },
        { JobRunFields.StartedAt, MongoLeaseCommands.Date(StartedAt) },
        { JobRunFields.Status, SchedulingWireNames.Of(JobRunStatus.Running) },
        { JobRunFields.Owner, Owner },
        { JobRunFields.Trigger, SchedulingWireNames.Of(Trigger) },
    };
}

/// <summary>How a run ended, as the update of its job_runs document.</summary>
public sealed record JobRunFinish(
    Guid RunId,
    DateTimeOffset FinishedAt,
    JobRunStatus Status,
    IReadOnlyDictionary<string, long> Counts,
    string? Message,
    JobRunError? Error,
    JobWindow? Window)
{
    /// <summary><c>$set</c> of finishedAt, status, counts, message, error; and window when the job reported the one it covered.</summary>
    public BsonDocument ToUpdate()
    {
        ArgumentNullException.ThrowIfNull(Counts);
        var counts = new BsonDocument();
        foreach (var (name, value) in Counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            counts.Add(name, value);
        }

        var set = new BsonDocument
        {
            { JobRunFields.FinishedAt, MongoLeaseCommands.Date(FinishedAt) },
            { JobRunFields.Status, SchedulingWireNames.Of(Status) },
            { JobRunFields.Counts, counts },
            { JobRunFields.Message, Message is null ? BsonNull.Value : new BsonString(Message) },
            { JobRunFields.Error, Error is null ? BsonNull.Value : new BsonDocument { { "type", Error.Type }, { "message", Error.Message } } },
        };
        if (Window is { IsEmpty: false } window)
        {
            set.Add(JobRunFields.Window, JobRunFields.WindowDocument(window));
        }

        return new BsonDocument("$set", set);
    }
}

/// <summary>A failed run's error as recorded: the exception type and a redacted, bounded message (never a stack trace).</summary>
public sealed partial record JobRunError(string Type, string Message)
{
    public const int MaxMessageLength = 1000;

    /// <summary>Summarises <paramref name="exception"/>: credentials in URLs (<c>scheme://user:password@</c>) are masked and the message is cut.</summary>
    /// <remarks>Exception messages can carry connection strings; job_runs is read by operators and dashboards, so no secrets.</remarks>
    public static JobRunError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = UrlCredentials().Replace(exception.Message, "$1***@");
        if (message.Length > MaxMessageLength)
        {
            message = string.Concat(message.AsSpan(0, MaxMessageLength), "…");
        }

        return new JobRunError(exception.GetType().FullName ?? exception.GetType().Name, message);
    }

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.\-]*://)[^\s/@]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCredentials();
}

/// <summary>Field names of job_runs documents.</summary>
public static class JobRunFields
{
    public const string Id = "_id";
    public const string Job = "job";
    public const string Window = "window";
    public const string ScheduledFireTime = "scheduledFireTime";
    public const string StartedAt = "startedAt";
    public const string FinishedAt = "finishedAt";
    public const string Status = "status";
    public const string Counts = "counts";
    public const string Message = "message";
    public const string Error = "error";
    public const string Owner = "owner";
    public const string Trigger = "trigger";

    internal static BsonValue DateOrNull(DateTimeOffset? instant) => instant is { } value ? MongoLeaseCommands.Date(value) : BsonNull.Value;

    internal static BsonDocument WindowDocument(JobWindow window) => new()
    {
        { "from", DateOrNull(window.From) },
        { "to", DateOrNull(window.To) },
    };
}
