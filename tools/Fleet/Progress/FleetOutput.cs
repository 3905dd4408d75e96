using Spectre.Console;

namespace QuikApp.Workers.Fleet.Progress;

/// <summary>
/// Where the fleet writes: the terminal (or whatever stdout was when it started), with a live progress bar when it is an
/// interactive terminal and plain lines otherwise (CI, a pipe, a test). The workers' logs do not come here: they go to
/// the run's log file (<see cref="WorkerLogRedirect"/>).
/// </summary>
internal sealed class FleetOutput
{
    private readonly TextWriter _writer;

    public FleetOutput(TextWriter writer, bool interactive)
    {
        _writer = writer;
        Interactive = interactive;
        Console = interactive
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.Yes, Ansi = AnsiSupport.Detect })
            : null;
    }

    public bool Interactive { get; }

    /// <summary>The Spectre console, when interactive.</summary>
    public IAnsiConsole? Console { get; }

    /// <summary>Stdout as it is now, interactive when it is a terminal that is not redirected.</summary>
    public static FleetOutput ForConsole(bool plain) =>
        new(System.Console.Out, !plain && !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive);

    public void Line(string text = "")
    {
        if (Console is { } console)
        {
            console.WriteLine(text);
        }
        else
        {
            _writer.WriteLine(text);
            _writer.Flush();
        }
    }

    /// <summary>A report line: PASS in green and FAIL in red on a terminal.</summary>
    public void ReportLine(string text)
    {
        if (Console is not { } console)
        {
            Line(text);
            return;
        }

        var escaped = Markup.Escape(text);
        console.MarkupLine(escaped
            .Replace("PASS", "[green]PASS[/]", StringComparison.Ordinal)
            .Replace("FAIL", "[red]FAIL[/]", StringComparison.Ordinal));
    }
}
