using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka.Producing;

namespace QuikApp.Workers.Shared.Kafka.Replay;

/// <summary>
/// <c>replay-dlq &lt;topic&gt; [--reason &lt;substring&gt;] [--from-offset N] [--to-offset M] [--partition P] [--dry-run]</c>:
/// re-publishes the records of <c>&lt;topic&gt;.dlq</c> to <c>&lt;topic&gt;</c> once the cause is fixed (see <see cref="DlqReplayer"/>).
/// Exit 0 when every selected record went back, 1 when a publish or the commit failed or a record names another source
/// topic, 2 on usage errors.
/// </summary>
internal sealed class ReplayDlqCommand : IWorkerCommand
{
    public string Name => "replay-dlq";

    public string Usage => "replay-dlq <topic> [--reason <substring>] [--from-offset N] [--to-offset M] [--partition P] [--dry-run]";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(services, arguments, Console.Out, Console.Error, cancellationToken);

    internal async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        DlqReplayRequest request;
        try
        {
            request = DlqReplayRequest.Parse(arguments);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\nusage: {Usage}").ConfigureAwait(false);
            return 2;
        }

        var connection = services.GetRequiredService<KafkaConnection>();
        var replayer = new DlqReplayer(connection.Options, connection.BootstrapServers, connection.ClientId,
            services.GetRequiredService<RecordProducer>());
        var report = await replayer.RunAsync(request, output, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(report.Render()).ConfigureAwait(false);
        return report.Succeeded ? 0 : 1;
    }
}
