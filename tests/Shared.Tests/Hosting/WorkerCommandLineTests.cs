using QuikApp.Workers.Shared.Hosting;

namespace QuikApp.Workers.Shared.Tests.Hosting;

public sealed class WorkerCommandLineTests
{
    [Fact]
    public void ConfigurationArguments_RunningTheWorker_PassesEveryArgument()
    {
        string[] args = ["--Kafka:BootstrapServers=embedded", "--Health:Port", "8082"];

        Assert.Equal(args, WorkerCommandLine.ConfigurationArguments(args));
    }

    [Fact]
    public void ConfigurationArguments_RunningAVerb_PassesOnlyTheOverrides_SoAnAbsolutePathCannotSwallowOne()
    {
        string[] args = ["process-file", "/data/photo.jpg", "--Files:Clamd:Port=3311", "--output", "/tmp/out", "--Serilog:MinimumLevel:Default=Warning"];

        Assert.Equal(["--Files:Clamd:Port=3311", "--Serilog:MinimumLevel:Default=Warning"], WorkerCommandLine.ConfigurationArguments(args));
    }
}
