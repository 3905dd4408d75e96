using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Moderation.Tests.Hosting;

/// <summary>The Moderation worker executable: embedded Kafka, endpoints, clean exit on SIGTERM (<see cref="WorkerProcessSpecification"/>).</summary>
public sealed class WorkerProcessTests : WorkerProcessSpecification
{
    protected override string AssemblyName => "QuikApp.Workers.Moderation";
}
