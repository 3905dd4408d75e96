using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace QuikApp.Workers.Shared.Logging;

/// <summary>
/// Structured logging for every worker: Serilog, compact JSON on stdout, enriched with the worker's name and with
/// the scopes the consumer engine opens (topic, partition, offset, eventId).
/// </summary>
/// <remarks>
/// Levels come from the <c>Serilog</c> configuration section (e.g. <c>Serilog__MinimumLevel__Default=Debug</c>).
/// Message content and credentials are never logged at Information or above: handlers log ids and verdicts only.
/// </remarks>
public static class SerilogSetup
{
    public static IServiceCollection AddQuikAppLogging(this IServiceCollection services, IConfiguration configuration, string workerName) =>
        // Each host keeps its own logger (not the static Log.Logger): hosts sharing a process (the fleet tool, tests) keep their names.
        services.AddSerilog((provider, logger) => Configure(logger, configuration, workerName), preserveStaticLogger: true);

    /// <summary>The logger configuration on its own, for tools that log the same way without a host.</summary>
    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, string workerName)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("worker", workerName)
            .WriteTo.Console(new RenderedCompactJsonFormatter());
    }
}
