using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Logging;
using QuikApp.Workers.Testing.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>A worker's scheduling services with the in-memory lease and job-run stores in place of MongoDB.</summary>
internal sealed class SchedulingHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 15, 0, TimeSpan.Zero);

    public SchedulingHarness(TimeProvider? time = null, InMemoryLeaseStore? leases = null, InMemoryJobRunStore? runs = null, Dictionary<string, string?>? settings = null)
        : this(time, settings, mongo: null)
    {
        Leases = leases ?? new InMemoryLeaseStore(Time);
        Runs = runs ?? new InMemoryJobRunStore();
        Provider = Build(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(Leases));
            services.Replace(ServiceDescriptor.Singleton<IJobRunStore>(Runs));
        });
    }

    /// <summary>A replica on the real-MongoDB lane: the runtime's MongoDB lease and job-run stores, in the test's databases.</summary>
    public SchedulingHarness(MongoOptions mongo, Dictionary<string, string?>? settings = null)
        : this(TimeProvider.System, settings, mongo)
    {
        Provider = Build(_ => { });
    }

    private SchedulingHarness(TimeProvider? time, Dictionary<string, string?>? settings, MongoOptions? mongo)
    {
        Time = time ?? new FakeTimeProvider(Start);
        _settings = new Dictionary<string, string?>(settings ?? []);
        if (mongo is not null)
        {
            _settings["Mongo:ConnectionString"] = mongo.ConnectionString;
            _settings["Mongo:AnalyticsDatabase"] = mongo.AnalyticsDatabase;
        }

        Provider = null!;
        Leases = null!;
        Runs = null!;
    }

    private readonly Dictionary<string, string?> _settings;

    private ServiceProvider Build(Action<IServiceCollection> replace)
    {
        var services = SchedulingOptionsTests.Services(_settings);
        services.AddLogging(logging => logging.AddProvider(new TestOutputLoggerProvider(LogLevel.Debug)).SetMinimumLevel(LogLevel.Debug));
        services.Replace(ServiceDescriptor.Singleton(Time));
        replace(services);
        return services.BuildServiceProvider();
    }

    public TimeProvider Time { get; }

    public FakeTimeProvider FakeTime => (FakeTimeProvider)Time;

    /// <summary>The in-memory lease store (null on the MongoDB lane).</summary>
    public InMemoryLeaseStore Leases { get; }

    /// <summary>The in-memory job-run store (null on the MongoDB lane).</summary>
    public InMemoryJobRunStore Runs { get; }

    public ServiceProvider Provider { get; }

    public JobProbe Probe => Provider.GetRequiredService<JobProbe>();

    public LeasedJobRunner Runner => Provider.GetRequiredService<LeasedJobRunner>();

    public string Owner => Provider.GetRequiredService<LeaseOwner>().Value;

    /// <summary>The start-up registrar alone (resolving every hosted service would need a host lifetime for Quartz's).</summary>
    public ScheduledJobRegistrar Registrar => ActivatorUtilities.CreateInstance<ScheduledJobRegistrar>(Provider);

    public void Dispose() => Provider.Dispose();
}
