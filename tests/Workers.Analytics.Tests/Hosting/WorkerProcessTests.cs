using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Analytics.Tests.Hosting;

/// <summary>The Analytics worker executable: embedded Kafka, endpoints, clean exit on SIGTERM (<see cref="WorkerProcessSpecification"/>).</summary>
public sealed class WorkerProcessTests : WorkerProcessSpecification
{
    protected override string AssemblyName => "QuikApp.Workers.Analytics";
}
