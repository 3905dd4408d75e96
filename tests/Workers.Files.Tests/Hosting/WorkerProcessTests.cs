using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.Hosting;

/// <summary>The Files worker executable: embedded Kafka, endpoints, clean exit on SIGTERM (<see cref="WorkerProcessSpecification"/>).</summary>
public sealed class WorkerProcessTests : WorkerProcessSpecification
{
    protected override string AssemblyName => "QuikApp.Workers.Files";
}
