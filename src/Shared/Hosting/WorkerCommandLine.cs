using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace QuikApp.Workers.Shared.Hosting;

/// <summary>An operator verb a worker executable runs instead of its hosted services (<c>ensure-indexes</c>, <c>score</c>, ...).</summary>
public interface IWorkerCommand
{
    /// <summary>The verb, e.g. <c>ensure-indexes</c>.</summary>
    string Name { get; }

    /// <summary>One line for the usage text, including the arguments it takes.</summary>
    string Usage { get; }

    /// <summary>Runs the verb with the arguments after it; returns the process exit code.</summary>
    Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}

/// <summary>
/// Runs the worker: as a long-running host when the first argument is not a verb, otherwise the verb alone (hosted
/// services are not started, so a verb never consumes from Kafka).
/// </summary>
public static class WorkerCommandLine
{
    public static async Task<int> RunWorkerAsync(this WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        var commands = app.Services.GetServices<IWorkerCommand>().ToList();
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].Contains('=', StringComparison.Ordinal))
        {
            if (args is ["--help"] or ["-h"])
            {
                await Console.Out.WriteLineAsync(UsageText(app, commands)).ConfigureAwait(false);
                return 0;
            }

            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }

        var command = commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"unknown verb '{args[0]}'\n\n{UsageText(app, commands)}").ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var arguments = args.Skip(1).Where(a => !IsConfigurationOverride(a)).ToList();
        return await command.RunAsync(app.Services, arguments, stop.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// The arguments that configure the host: all of them when the worker runs, only the <c>--Section:Key=value</c>
    /// overrides when a verb runs. A verb's operands are not configuration: the command-line provider would read an
    /// absolute path such as <c>/data/photo.jpg</c> as a key and take the next argument (say an override) as its value.
    /// </summary>
    public static string[] ConfigurationArguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length == 0 || args[0].StartsWith('-') || args[0].Contains('=', StringComparison.Ordinal)
            ? args
            : [.. args.Skip(1).Where(IsConfigurationOverride)];
    }

    /// <summary>True for <c>--Section:Key=value</c> arguments, which the host's configuration already consumed.</summary>
    private static bool IsConfigurationOverride(string argument) =>
        argument.StartsWith("--", StringComparison.Ordinal) && argument.Contains(':', StringComparison.Ordinal) && argument.Contains('=', StringComparison.Ordinal);

    private static string UsageText(WebApplication app, List<IWorkerCommand> commands)
    {
        var name = app.Services.GetService<WorkerIdentity>()?.Name ?? app.Environment.ApplicationName;
        var lines = new List<string>
        {
            $"usage: {name} [--Section:Key=value ...]          run the worker (Kafka consumers, jobs, health on Health:Port)",
        };
        lines.AddRange(commands.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"       {name} {c.Usage}"));
        return string.Join(Environment.NewLine, lines);
    }
}
