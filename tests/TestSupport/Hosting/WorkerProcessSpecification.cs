using System.Net;

namespace QuikApp.Workers.Testing.Hosting;

/// <summary>
/// The worker executable as an orchestrator runs it: embedded Kafka, endpoints up, clean exit on SIGTERM. Each worker's
/// test project derives from it naming its assembly, so the three workers are held to the same specification.
/// </summary>
public abstract class WorkerProcessSpecification
{
    /// <summary>The worker's assembly, e.g. <c>QuikApp.Workers.Files</c>.</summary>
    protected abstract string AssemblyName { get; }

    [Fact(Timeout = 120_000)]
    public async Task Worker_StartedWithEmbeddedKafka_ServesEndpointsAndExitsCleanlyOnSigterm()
    {
        await using var worker = WorkerProcess.Start(
            AssemblyName,
            "--Kafka:BootstrapServers=embedded",
            "--Mongo:ConnectionString=mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300",
            "--Mongo:EnsureIndexesOnStart=false");

        await worker.WaitForAsync("/health/live", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        var metrics = await worker.WaitForAsync("/metrics", HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        Assert.Contains("# TYPE", await metrics.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        // MongoDB is unreachable, so the worker must say it is not ready rather than pretend.
        await worker.WaitForAsync("/health/ready", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));

        worker.Terminate();
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, worker.ExitCode);
        Assert.Contains("Application is shutting down", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"@l\":\"Fatal\"", worker.Output, StringComparison.Ordinal);
    }
}
