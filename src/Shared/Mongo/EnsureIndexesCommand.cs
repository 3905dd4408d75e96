using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Hosting;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>
/// <c>ensure-indexes [--all | --owner &lt;Moderation|Files|Analytics|Scheduling|MessageService|Housekeeping&gt; ...]</c>: builds the seed's
/// indexes once and prints what it found. Without options it builds what this worker owns. Exit code 1 on a conflict.
/// </summary>
internal sealed class EnsureIndexesCommand : IWorkerCommand
{
    public string Name => "ensure-indexes";

    public string Usage => "ensure-indexes [--all | --owner <Moderation|Files|Analytics|Scheduling|MessageService|Housekeeping> ...]";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        IReadOnlyList<IndexOwner> owners;
        try
        {
            owners = ParseOwners(arguments, services.GetService<MongoIndexOwners>()?.Owners ?? []);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\nusage: {Usage}").ConfigureAwait(false);
            return 2;
        }

        var report = await services.GetRequiredService<MongoIndexBootstrapper>().EnsureAsync(owners, cancellationToken).ConfigureAwait(false);
        foreach (var result in report.Results)
        {
            await Console.Out.WriteLineAsync(result.ToString()).ConfigureAwait(false);
        }

        await Console.Out.WriteLineAsync(report.ToString()).ConfigureAwait(false);
        return report.HasConflicts ? 1 : 0;
    }

    internal static IReadOnlyList<IndexOwner> ParseOwners(IReadOnlyList<string> arguments, IReadOnlyList<IndexOwner> defaults)
    {
        if (arguments.Count == 0)
        {
            return defaults.Count > 0 ? defaults : throw new ArgumentException("this worker owns no indexes: name them with --owner or use --all");
        }

        if (arguments is ["--all"])
        {
            return Enum.GetValues<IndexOwner>();
        }

        var owners = new List<IndexOwner>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] != "--owner" || i + 1 >= arguments.Count || !Enum.TryParse<IndexOwner>(arguments[i + 1], ignoreCase: true, out var owner))
            {
                throw new ArgumentException($"unexpected argument '{arguments[i]}'");
            }

            owners.Add(owner);
            i++;
        }

        return owners;
    }
}
