using System.Text.Json;
using QuikApp.Workers.Shared.Hosting;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// <c>rollback-model &lt;spam|toxicity&gt;</c>: withdraws the promoted model of that kind and restores the previous one
/// (see <see cref="ModelRollback"/>), printing what changed as JSON. Exit 0 when a model was withdrawn, 1 when none was
/// promoted or MongoDB failed, 2 on usage errors.
/// </summary>
internal sealed class RollbackModelCommand : IWorkerCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Name => "rollback-model";

    public string Usage => "rollback-model <spam|toxicity>";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(services, arguments, Console.Out, Console.Error, cancellationToken);

    internal async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(arguments);
        ModelKind kind;
        try
        {
            kind = arguments.Count == 1 ? ModelKinds.Parse(arguments[0]) : throw new FormatException("expected one model kind");
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\nusage: {Usage}").ConfigureAwait(false);
            return 2;
        }

        RollbackResult result;
        try
        {
            result = await services.GetRequiredService<ModelRollback>().RollBackAsync(kind, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { kind = kind.ToWire(), status = "failed", error = ex.GetType().FullName }, Json))
                .ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync(JsonSerializer.Serialize(new
        {
            kind = kind.ToWire(),
            status = result.Withdrawn is null ? "nothing-promoted" : "rolled-back",
            withdrawn = result.Withdrawn,
            nowPromoted = result.NowPromoted,
            workersScoreWith = result.NowPromoted ?? (kind == ModelKind.Spam ? "their start-up spam model" : "no learnt toxicity model"),
        }, Json)).ConfigureAwait(false);
        return result.Withdrawn is null ? 1 : 0;
    }
}
