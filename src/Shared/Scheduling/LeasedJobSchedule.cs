using Quartz;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Builds the Quartz job and cron trigger for a scheduled job (no I/O, so the built trigger can be inspected in tests).</summary>
/// <remarks>
/// Misfires (Quartz 4.7, in-memory store): a firing more than the store's MisfireThreshold late (5 s by default) is a
/// misfire, and <see cref="CronTriggerMisfireInstruction.FireAndProceed"/> fires it once and resumes the schedule, however
/// many slots were missed. In memory, that only covers a running scheduler (a firing held back by
/// <see cref="DisallowConcurrentExecutionAttribute"/>, a saturated pool, a paused VM): a freshly stored trigger computes its
/// first fire time from now, so slots missed while the process was down are unknown to Quartz. Catch-up after downtime is
/// <see cref="ScheduledJobRegistrar"/>'s job, from the lease's lastFireTime.
/// </remarks>
public static class LeasedJobSchedule
{
    public const string Group = "quikapp-scheduling";

    public static JobKey JobKeyFor(string job) => new(job, Group);

    public static IJobDetail BuildJob(ScheduledJobDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return JobBuilder.Create<LeasedQuartzJob>()
            .WithIdentity(JobKeyFor(definition.Name))
            .WithDescription($"QuikApp scheduled job {definition.Name} ({definition.Cron} UTC), run under a MongoDB lease")
            .Build();
    }

    public static ITrigger BuildTrigger(ScheduledJobDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return TriggerBuilder.Create()
            .WithIdentity(definition.Name, Group)
            .ForJob(JobKeyFor(definition.Name))
            .WithSchedule(CronScheduleBuilder.Create(definition.Cron)
                .InTimeZone(TimeZoneInfo.Utc)
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
    }
}
