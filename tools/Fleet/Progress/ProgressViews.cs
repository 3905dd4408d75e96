using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace QuikApp.Workers.Fleet.Progress;

/// <summary>How far a run has got: records produced, offsets committed by the workers, effects observed.</summary>
internal sealed record ProgressSnapshot(
    long Produced,
    long ToProduce,
    long Committed,
    long Scored,
    long Messages,
    long FilesSettled,
    long Files,
    long DeadLetters,
    long Malformed);

/// <summary>Shows a run's progress while <c>work</c> runs and reports snapshots to it.</summary>
internal interface IProgressView
{
    Task RunAsync(Func<Action<ProgressSnapshot>, Task> work);
}

/// <summary>A live progress bar per stream of effects (Spectre.Console), for an interactive terminal.</summary>
internal sealed class LiveProgressView(IAnsiConsole console) : IProgressView
{
    public Task RunAsync(Func<Action<ProgressSnapshot>, Task> work) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ValueColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var produced = context.AddTask("events produced", maxValue: 1);
                var scored = context.AddTask("messages scored", maxValue: 1);
                var files = context.AddTask("uploads settled", maxValue: 1);
                var dead = context.AddTask("dead letters", maxValue: 1);
                await work(snapshot =>
                {
                    Set(produced, snapshot.Produced, snapshot.ToProduce);
                    Set(scored, snapshot.Scored, snapshot.Messages);
                    Set(files, snapshot.FilesSettled, snapshot.Files);
                    Set(dead, snapshot.DeadLetters, snapshot.Malformed);
                }).ConfigureAwait(false);
            });

    private static void Set(ProgressTask task, long value, long max)
    {
        task.MaxValue = Math.Max(1, max);
        task.Value = Math.Min(value, task.MaxValue);
    }

    /// <summary>"1,234/2,000".</summary>
    private sealed class ValueColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Value,9:N0}/{task.MaxValue:N0}"));
    }
}

/// <summary>A line every few seconds, for CI logs and pipes.</summary>
internal sealed class PlainProgressView(FleetOutput output, TimeSpan every) : IProgressView
{
    public async Task RunAsync(Func<Action<ProgressSnapshot>, Task> work)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? last = null;
        ProgressSnapshot? latest = null;
        ProgressSnapshot? printed = null;
        await work(snapshot =>
        {
            latest = snapshot;
            if (last is null || clock.Elapsed - last >= every)
            {
                (last, printed) = (clock.Elapsed, snapshot);
                output.Line(Describe(clock.Elapsed, snapshot));
            }
        }).ConfigureAwait(false);
        if (latest is not null && latest != printed)
        {
            output.Line(Describe(clock.Elapsed, latest));
        }
    }

    public static string Describe(TimeSpan elapsed, ProgressSnapshot s) => string.Create(CultureInfo.InvariantCulture,
        $"[{elapsed.TotalSeconds,6:F1} s] produced {s.Produced:N0}/{s.ToProduce:N0} · committed {s.Committed:N0} · messages scored {s.Scored:N0}/{s.Messages:N0} · uploads settled {s.FilesSettled:N0}/{s.Files:N0} · dead letters {s.DeadLetters:N0}/{s.Malformed:N0}");
}
