using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Driving;
using QuikApp.Workers.Fleet.Reporting;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Tests.Reporting;

/// <summary>The report's figures from a workload, what was observed and when each event was produced.</summary>
public sealed class FleetReportBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_CountsVerdictsScanStatusesAndDeadLettersByReason()
    {
        var (workload, observed, production) = Run();

        var report = FleetReportBuilder.Build(Inputs(workload, observed, production));

        var results = observed.Results.Count;
        Assert.Equal(results, report.Moderation.Allow + report.Moderation.Flag + report.Moderation.Block);
        Assert.Equal(results / 2, report.Moderation.Flag);
        Assert.Equal(workload.Uploads.Count(), report.Files.ByScanStatus["clean"]);
        Assert.Equal(workload.Uploads.Count(), report.Files.WithThumbnail);
        var group = Assert.Single(report.DeadLetters);
        Assert.Equal(("malformed: payload: not valid JSON", 2), (group.Reason, group.Count));
        Assert.Equal(["quikapp.file.uploaded.dlq", "quikapp.message.sent.dlq"], group.Topics);
        Assert.Equal(workload.Contract.Count(c => c.Topic == EventTopics.MessageReaction), report.Workload.ReactionsNotConsumed);
    }

    [Fact]
    public void Build_Latency_IsFromProducedToProcessedOfTheStoredVersion()
    {
        var (workload, observed, production) = Run();

        var report = FleetReportBuilder.Build(Inputs(workload, observed, production));

        // Every result was processed 100 ms after its event was produced; files 2 s after.
        Assert.Equal((100, 100), (report.Latency.Moderation.P50Ms, report.Latency.Moderation.P99Ms));
        Assert.Equal(2_000, report.Latency.Files.P95Ms);
        Assert.Equal(observed.Results.Count, report.Latency.Moderation.Samples);
    }

    [Fact]
    public void Build_Throughput_CountsConsumedEventsOverFirstProducedToLastEffect()
    {
        var (workload, observed, production) = Run();

        var report = FleetReportBuilder.Build(Inputs(workload, observed, production));

        Assert.True(report.Throughput.Seconds > 0);
        Assert.Equal(report.Workload.ValidEvents / report.Throughput.Seconds, report.Throughput.EventsPerSecond, 6);
    }

    private static ReportInputs Inputs(GeneratedWorkload workload, Observations observed, ProductionLog production) => new(
        ReportTextTests.Report().Run, workload, observed, production, [], 0, new MemorySummary(100, new Dictionary<string, double>()),
        new AnalyticsSummary("needs MongoDB", []));

    /// <summary>A small workload produced one event per 10 ms and observed as fully processed.</summary>
    private static (GeneratedWorkload Workload, Observations Observed, ProductionLog Production) Run()
    {
        var workload = WorkloadGenerator.Generate(WorkloadSpec.Create(200, 10, 7, T0));
        var expected = ExpectedEffects.From(workload);
        var production = new ProductionLog();
        var producedAt = new Dictionary<Guid, DateTimeOffset>();
        foreach (var planned in workload.Events)
        {
            var at = T0 + TimeSpan.FromMilliseconds(10 * planned.Sequence);
            Guid? id = planned switch
            {
                ContractEvent c => c.Envelope.EventId,
                UploadEvent u => u.EventId,
                _ => null,
            };
            production.HandingOver(id, at);
            if (id is { } eventId)
            {
                producedAt[eventId] = at;
            }
        }

        var index = 0;
        var results = expected.Messages.Values.ToDictionary(m => m.MessageId, m => new ObservedResult(m.MessageId, m.LatestEventId,
            index++ % 2 == 0 ? "allow" : "flag", m.Deleted, producedAt[m.LatestEventId] + TimeSpan.FromMilliseconds(100)));
        var files = expected.Files.Values.ToDictionary(f => f.FileId, f => new ObservedFile(f.FileId, "clean", "done", true, 1, f.UploadEventId,
            "https://cdn/x.webp", 1, false, producedAt[f.UploadEventId] + TimeSpan.FromSeconds(2), null));
        var letters = new List<DeadLetter>
        {
            new(EventTopics.MessageSent, 0, 1, "malformed: payload: not valid JSON (at 12)"),
            new(EventTopics.FileUploaded, 0, 1, "malformed: payload: not valid JSON (at 40)"),
        };
        return (workload, new Observations(results, files, letters, [], new HashSet<Guid>()), production);
    }
}
