using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Logging;
using QuikApp.Workers.Testing.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>A worker's scheduling services with the in-memory lease and job-run stores in place of MongoDB.</summary>
internal sealed class SchedulingHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 15, 0, TimeSpan.Zero);

    public SchedulingHarness(TimeProvider? time = null, InMemoryLeaseStore? leases = null, InMemoryJobRunStore? runs = null, Dictionary<string, string?>? settings = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        Leases = leases ?? new InMemoryLeaseStore(Time);
        Runs = runs ?? new InMemoryJobRunStore();
        var services = SchedulingOptionsTests.Services(settings);
        services.AddLogging(logging => logging.AddProvider(new TestOutputLoggerProvider(LogLevel.Debug)).SetMinimumLevel(LogLevel.Debug));
        services.Replace(ServiceDescriptor.Singleton(Time));
        services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(Leases));
        services.Replace(ServiceDescriptor.Singleton<IJobRunStore>(Runs));
        Provider = services.BuildServiceProvider();
    }

    public TimeProvider Time { get; }

    public FakeTimeProvider FakeTime => (FakeTimeProvider)Time;

    public InMemoryLeaseStore Leases { get; }

    public InMemoryJobRunStore Runs { get; }

    public ServiceProvider Provider { get; }

    public JobProbe Probe => Provider.GetRequiredService<JobProbe>();

    public LeasedJobRunner Runner => Provider.GetRequiredService<LeasedJobRunner>();

    public string Owner => Provider.GetRequiredService<LeaseOwner>().Value;

    /// <summary>The start-up registrar alone (resolving every hosted service would need a host lifetime for Quartz's).</summary>
    public ScheduledJobRegistrar Registrar => ActivatorUtilities.CreateInstance<ScheduledJobRegistrar>(Provider);

    public void Dispose() => Provider.Dispose();
}
