using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Health;

namespace QuikApp.Workers.Shared.Hosting;

/// <summary>
/// <c>health-probe [--ready] [--timeout &lt;seconds&gt;]</c>: GETs this worker's <c>/health/live</c> (or <c>/health/ready</c>)
/// on the loopback address and exits 0 when it answers 2xx, 1 otherwise. The container image's HEALTHCHECK runs it:
/// the .NET runtime images have neither curl nor wget, and the probe needs nothing the worker binary does not already have.
/// </summary>
internal sealed class HealthProbeCommand : IWorkerCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    public string Name => "health-probe";

    public string Usage => "health-probe [--ready] [--timeout <seconds>]";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(services, arguments, Console.Out, Console.Error, cancellationToken);

    internal async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var ready = false;
        var timeout = DefaultTimeout;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--ready":
                    ready = true;
                    break;
                case "--timeout" when i + 1 < arguments.Count
                    && double.TryParse(arguments[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    && seconds is > 0 and <= 300:
                    timeout = TimeSpan.FromSeconds(seconds);
                    i++;
                    break;
                default:
                    await error.WriteLineAsync($"unexpected argument '{arguments[i]}'\nusage: {Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        var health = services.GetRequiredService<IOptions<HealthOptions>>().Value;
        if (health.Port == 0)
        {
            await error.WriteLineAsync("Health:Port is 0 (a random port): there is no known port to probe").ConfigureAwait(false);
            return 2;
        }

        var uri = ProbeUri(health, ready);
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            await output.WriteLineAsync($"{uri} answered {code} {response.ReasonPhrase}").ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = ex is TaskCanceledException ? $"no answer within {timeout.TotalSeconds:0.###} s" : ex.Message;
            await output.WriteLineAsync($"{uri} failed: {why}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Where the probe goes: loopback unless the endpoints are bound to one specific address.</summary>
    internal static Uri ProbeUri(HealthOptions health, bool ready)
    {
        ArgumentNullException.ThrowIfNull(health);
        var host = health.BindAddress is "*" or "0.0.0.0" ? "127.0.0.1"
            : health.BindAddress == "::" ? "[::1]"
            : health.BindAddress.Contains(':', StringComparison.Ordinal) ? $"[{health.BindAddress}]"
            : health.BindAddress;
        var path = ready ? "/health/ready" : "/health/live";
        return new Uri($"http://{host}:{health.Port.ToString(CultureInfo.InvariantCulture)}{path}");
    }
}
