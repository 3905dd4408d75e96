using QuikApp.Workers.Fleet.Chaos;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Fleet.Hosting.Remote;
using QuikApp.Workers.Fleet.Progress;
using QuikApp.Workers.Fleet.Running;

namespace QuikApp.Workers.Fleet.CommandLine;

/// <summary>Runs a verb: <c>demo</c>, <c>bench</c>, <c>chaos</c>, the hidden <c>worker</c> (one worker in a child process).</summary>
internal static class FleetCommandLine
{
    public static async Task<int> RunAsync(string[] args, FleetOutput? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var mongoUrl = Environment.GetEnvironmentVariable("MONGODB_URL") is { Length: > 0 } url ? url : null;
        if (args.Any(a => a is "--help" or "-h") && args.FirstOrDefault() != "worker")
        {
            (output ?? FleetOutput.ForConsole(plain: true)).Line(FleetArguments.Usage);
            return 0;
        }

        switch (args.FirstOrDefault())
        {
            case null or "help":
                (output ?? FleetOutput.ForConsole(plain: true)).Line(FleetArguments.Usage);
                return args.Length == 0 ? FleetRun.UsageError : 0;
            case "worker":
                return await RunWorkerAsync(args[1..], mongoUrl, cancellationToken);
        }

        var options = FleetArguments.Parse(args, out var error);
        if (options is null)
        {
            var writer = output ?? FleetOutput.ForConsole(plain: true);
            writer.Line($"error: {error}");
            writer.Line(FleetArguments.Usage);
            return FleetRun.UsageError;
        }

        output ??= FleetOutput.ForConsole(options.Plain);
        if (options.Verb == FleetVerb.Chaos)
        {
            return await new ChaosRunner(options, output, mongoUrl).RunAsync(cancellationToken);
        }

        var outcome = await new FleetRun(options, output, mongoUrl).ExecuteAsync(cancellationToken);
        return outcome.ExitCode;
    }

    private static async Task<int> RunWorkerAsync(string[] args, string? mongoUrl, CancellationToken cancellationToken)
    {
        var parsed = WorkerVerbArguments.Parse(args, mongoUrl, out var error);
        if (parsed is null)
        {
            await Console.Error.WriteLineAsync(error);
            return FleetRun.UsageError;
        }

        using var remote = parsed.Stores is { } stores ? new RemoteFleetStores(stores) : null;
        await using var app = WorkerHostFactory.Build(parsed.Worker, parsed.Environment, parsed.RunDirectory, remote);
        await app.StartAsync(cancellationToken);
        // The fleet stops its children by closing their stdin; SIGTERM (the host's own lifetime) works too.
        var endOfInput = Task.Run(() => Console.In.ReadToEnd(), CancellationToken.None);
        await Task.WhenAny(endOfInput, app.WaitForShutdownAsync(cancellationToken));
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
