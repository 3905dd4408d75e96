using QuikApp.Workers.Analytics;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Files;
using QuikApp.Workers.Moderation;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Fleet.Hosting;

/// <summary>
/// Builds one worker's host as its Program.cs composes it — <c>AddQuikAppWorkerDefaults</c>, its index bootstrap and
/// its registration — with the fleet's settings and, without MongoDB, the run's in-memory stores. Used in this process
/// (three hosts sharing one embedded Kafka) and by the <c>worker</c> verb (one per child process).
/// </summary>
internal static class WorkerHostFactory
{
    /// <param name="contentRoot">Where the host looks for appsettings.json: the run directory, which has none, so only the fleet's settings apply.</param>
    /// <param name="stores">Required without MongoDB (the analytics worker then cannot run).</param>
    /// <param name="configure">Last changes to the services, e.g. the chaos engineer's fault-injecting wrappers.</param>
    public static WebApplication Build(string worker, FleetEnvironment environment, string contentRoot, IFleetStores? stores,
        Action<string, IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = WorkerSettings.Arguments(worker, environment),
            ContentRootPath = contentRoot,
        });
        builder.AddQuikAppWorkerDefaults(worker);
        switch (worker)
        {
            case FleetWorkers.Moderation:
                builder.Services.AddMongoIndexBootstrap(IndexOwner.Moderation);
                builder.AddModerationWorker();
                break;
            case FleetWorkers.Files:
                builder.Services.AddMongoIndexBootstrap(IndexOwner.Files);
                builder.AddFilesWorker();
                break;
            case FleetWorkers.Analytics when environment.HasMongo:
                builder.AddAnalyticsWorker();
                builder.Services.AddHousekeeping(builder.Configuration);
                break;
            default:
                throw new ArgumentException($"unknown worker '{worker}', or the analytics worker without MongoDB", nameof(worker));
        }

        if (!environment.HasMongo)
        {
            (stores ?? throw new ArgumentNullException(nameof(stores), "a fleet without MongoDB needs its in-memory stores")).ReplaceStores(worker, builder.Services);
        }

        configure?.Invoke(worker, builder.Services);
        var app = builder.Build();
        app.MapQuikAppWorkerEndpoints();
        return app;
    }
}
