namespace QuikApp.Workers.Fleet.Progress;

/// <summary>
/// Sends everything written to <see cref="Console.Out"/> — the workers' compact-JSON logs (Serilog's console sink
/// writes to it) — to a log file of the run, until disposed. The fleet's own output keeps the original stdout.
/// </summary>
internal sealed class WorkerLogRedirect : IDisposable
{
    private readonly TextWriter _original;
    private readonly StreamWriter _log;

    private WorkerLogRedirect(TextWriter original, StreamWriter log)
    {
        _original = original;
        _log = log;
    }

    public string Path { get; private init; } = "";

    public static WorkerLogRedirect To(string path)
    {
        var log = new StreamWriter(path, append: true) { AutoFlush = true };
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(log));
        return new WorkerLogRedirect(original, log) { Path = path };
    }

    public void Dispose()
    {
        Console.SetOut(_original);
        _log.Dispose();
    }
}
