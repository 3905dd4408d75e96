using QuikApp.Workers.Fleet.CommandLine;

// fleet demo | bench | worker <name> … — see FleetArguments.Usage and docs/fleet.md.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
return await FleetCommandLine.RunAsync(args, cancellationToken: stop.Token);
