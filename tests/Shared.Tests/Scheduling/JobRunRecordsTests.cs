using MongoDB.Bson;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>The job_runs documents as rendered for MongoDB.</summary>
public sealed class JobRunRecordsTests
{
    private static readonly Guid RunId = Guid.Parse("019ab4c2-7e00-7000-8000-000000000001");

    [Fact]
    public void Start_ToDocument_IsTheRunningRecord()
    {
        var start = new JobRunStart(RunId, "daily-message-stats", JobRunTrigger.Schedule, default,
            new DateTimeOffset(2026, 11, 25, 0, 15, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 0, 15, 0, 12, TimeSpan.Zero), "analytics/pod-a#1");

        Assert.Equal(BsonDocument.Parse("""
            {
              _id: UUID("019ab4c2-7e00-7000-8000-000000000001"),
              job: "daily-message-stats",
              window: { from: null, to: null },
              scheduledFireTime: ISODate("2026-11-25T00:15:00Z"),
              startedAt: ISODate("2026-11-25T00:15:00.012Z"),
              status: "running",
              owner: "analytics/pod-a#1",
              trigger: "schedule"
            }
            """), start.ToDocument());
    }

    [Fact]
    public void Finish_ToUpdate_SetsTheOutcome()
    {
        var finish = new JobRunFinish(RunId, new DateTimeOffset(2026, 11, 25, 0, 16, 0, TimeSpan.Zero), JobRunStatus.LostLease,
            new Dictionary<string, long> { ["fixed"] = 12, ["checked"] = 40 }, "the lease was lost", new JobRunError("System.OperationCanceledException", "cancelled"),
            new JobWindow(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(BsonDocument.Parse("""
            {
              $set: {
                finishedAt: ISODate("2026-11-25T00:16:00Z"),
                status: "lost-lease",
                counts: { checked: NumberLong(40), fixed: NumberLong(12) },
                message: "the lease was lost",
                error: { type: "System.OperationCanceledException", message: "cancelled" },
                window: { from: ISODate("2026-11-24T00:00:00Z"), to: ISODate("2026-11-25T00:00:00Z") }
              }
            }
            """), finish.ToUpdate());
    }

    [Fact]
    public void ErrorFrom_LongMessageWithCredentials_IsRedactedAndCut()
    {
        var error = JobRunError.From(new TimeoutException("amqp://user:pw@rabbit and https://token@host/x " + new string('x', 2000)));

        Assert.Equal("System.TimeoutException", error.Type);
        Assert.StartsWith("amqp://***@rabbit and https://***@host/x", error.Message, StringComparison.Ordinal);
        Assert.Equal(JobRunError.MaxMessageLength + 1, error.Message.Length);
    }
}
