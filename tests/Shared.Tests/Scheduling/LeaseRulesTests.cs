using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>The lease's decisions against an explicit clock: who may take it, renew it, and which firings run.</summary>
public sealed class LeaseRulesTests
{
    private const string Job = "daily-message-stats";
    private const string Me = "analytics/pod-a#11111111";
    private const string Other = "analytics/pod-b#22222222";
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 15, 3, TimeSpan.Zero);
    private static readonly DateTimeOffset Slot = new(2026, 11, 25, 0, 15, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_NoDocument_IsFree()
    {
        Assert.Equal(LeaseVerdict.Free, LeaseRules.Evaluate(null, Me, Now, Slot));
        Assert.True(LeaseRules.CanAcquire(LeaseVerdict.Free));
    }

    [Fact]
    public void Evaluate_OtherOwnerWithLockedUntilAhead_IsHeld()
    {
        var held = Lease(Other, lockedUntil: Now.AddSeconds(30));

        var verdict = LeaseRules.Evaluate(held, Me, Now, fireTime: null);

        Assert.Equal(LeaseVerdict.HeldByOther, verdict);
        Assert.False(LeaseRules.CanAcquire(verdict));
    }

    [Fact]
    public void Evaluate_OtherOwnerWhoseLockedUntilPassed_IsExpiredAndCanBeTakenOver()
    {
        var crashed = Lease(Other, lockedUntil: Now.AddMilliseconds(-1));

        var verdict = LeaseRules.Evaluate(crashed, Me, Now, fireTime: null);

        Assert.Equal(LeaseVerdict.Expired, verdict);
        Assert.True(LeaseRules.CanAcquire(verdict));
    }

    [Fact]
    public void Evaluate_LockedUntilExactlyNow_IsStillHeld()
    {
        Assert.Equal(LeaseVerdict.HeldByOther, LeaseRules.Evaluate(Lease(Other, lockedUntil: Now), Me, Now, fireTime: null));
    }

    [Fact]
    public void Evaluate_OurOwnLiveLease_IsOurs()
    {
        var verdict = LeaseRules.Evaluate(Lease(Me, lockedUntil: Now.AddMinutes(1)), Me, Now, fireTime: null);

        Assert.Equal(LeaseVerdict.Ours, verdict);
        Assert.True(LeaseRules.CanAcquire(verdict));
    }

    [Fact]
    public void Evaluate_SameSlotAfterTheFirstReplicaReleased_IsAlreadyFired()
    {
        // Replica A ran the 00:15 slot and released (lockedUntil = its finish time); replica B fires late for the same slot.
        var released = Lease(Other, lockedUntil: Now.AddSeconds(-1), lastFireTime: Slot);

        var verdict = LeaseRules.Evaluate(released, Me, Now, Slot);

        Assert.Equal(LeaseVerdict.AlreadyFired, verdict);
        Assert.False(LeaseRules.CanAcquire(verdict));
    }

    [Fact]
    public void Evaluate_SameSlotEvenForItsOwnOwner_IsAlreadyFired()
    {
        Assert.Equal(LeaseVerdict.AlreadyFired, LeaseRules.Evaluate(Lease(Me, Now.AddMinutes(1), lastFireTime: Slot), Me, Now, Slot));
    }

    [Fact]
    public void Evaluate_LaterSlotOnAFreeLease_Runs()
    {
        var yesterday = Lease(Other, lockedUntil: Now.AddDays(-1), lastFireTime: Slot.AddDays(-1));

        Assert.Equal(LeaseVerdict.Expired, LeaseRules.Evaluate(yesterday, Me, Now, Slot));
    }

    [Fact]
    public void Evaluate_LaterSlotWhileAnotherRunStillHoldsTheLease_IsHeld()
    {
        var running = Lease(Other, lockedUntil: Now.AddMinutes(1), lastFireTime: Slot.AddMinutes(-5));

        Assert.Equal(LeaseVerdict.HeldByOther, LeaseRules.Evaluate(running, Me, Now, Slot));
    }

    [Fact]
    public void Evaluate_CliRunWithoutFireTime_IgnoresLastFireTime()
    {
        var ranToday = Lease(Other, lockedUntil: Now.AddSeconds(-1), lastFireTime: Slot);

        Assert.Equal(LeaseVerdict.Expired, LeaseRules.Evaluate(ranToday, Me, Now, fireTime: null));
    }

    [Fact]
    public void Acquire_ScheduledFiring_RecordsItsSlotAndLocksForTheDuration()
    {
        var taken = LeaseRules.Acquire(null, Job, Me, Now, Duration, Slot);

        Assert.Equal(new LeaseState(Job, Me, Now + Duration, Now, Now, Slot), taken);
    }

    [Fact]
    public void Acquire_CliRun_KeepsTheLastScheduledSlot()
    {
        var taken = LeaseRules.Acquire(Lease(Other, Now.AddMinutes(-1), lastFireTime: Slot), Job, Me, Now, Duration, fireTime: null);

        Assert.Equal(Slot, taken.LastFireTime);
        Assert.Equal(Me, taken.Owner);
    }

    [Fact]
    public void Renew_WhileOurs_ExtendsFromNowAndKeepsOthersOut()
    {
        var taken = LeaseRules.Acquire(null, Job, Me, Now, Duration, Slot);
        var later = Now.AddSeconds(90);

        var renewed = LeaseRules.Renew(taken, Me, later, Duration);

        Assert.NotNull(renewed);
        Assert.Equal(later + Duration, renewed.LockedUntil);
        Assert.Equal(later, renewed.RenewedAt);
        // Past the original lockedUntil, the renewal is what keeps the other replica out.
        Assert.Equal(LeaseVerdict.HeldByOther, LeaseRules.Evaluate(renewed, Other, Now + Duration + TimeSpan.FromSeconds(1), fireTime: null));
    }

    [Fact]
    public void Renew_AfterSomeoneElseTookOver_ReportsTheLoss()
    {
        var takenOver = Lease(Other, lockedUntil: Now.AddMinutes(2));

        Assert.Null(LeaseRules.Renew(takenOver, Me, Now, Duration));
        Assert.Null(LeaseRules.Renew(null, Me, Now, Duration));
    }

    [Fact]
    public void Release_ByTheOwner_FreesItFromNow()
    {
        var taken = LeaseRules.Acquire(null, Job, Me, Now, Duration, Slot);

        var released = LeaseRules.Release(taken, Me, Now.AddSeconds(10));

        Assert.Equal(Now.AddSeconds(10), released!.LockedUntil);
        Assert.Equal(Now.AddSeconds(10), released.ReleasedAt);
        Assert.Equal(LeaseVerdict.Expired, LeaseRules.Evaluate(released, Other, Now.AddSeconds(11), fireTime: null));
        Assert.False(LeaseRules.WasAbandoned(released));
    }

    [Fact]
    public void WasAbandoned_HolderThatNeverReleasedSinceItAcquired_IsTrue()
    {
        var released = LeaseRules.Release(LeaseRules.Acquire(null, Job, Other, Now, Duration, null), Other, Now.AddSeconds(5))!;
        var crashedLater = LeaseRules.Acquire(released, Job, Other, Now.AddMinutes(10), Duration, null);

        Assert.True(LeaseRules.WasAbandoned(crashedLater));
        Assert.True(LeaseRules.WasAbandoned(Lease(Other, Now)));
    }

    [Fact]
    public void Release_ByAnotherOwner_ChangesNothing()
    {
        var held = Lease(Other, lockedUntil: Now.AddMinutes(1));

        Assert.Same(held, LeaseRules.Release(held, Me, Now));
    }

    [Fact]
    public void Expiry_WithoutRenewal_AllowsTakeoverOnlyAfterLockedUntil()
    {
        var taken = LeaseRules.Acquire(null, Job, Other, Now, Duration, fireTime: null);

        Assert.False(LeaseRules.CanAcquire(LeaseRules.Evaluate(taken, Me, Now + Duration - TimeSpan.FromMilliseconds(1), null)));
        Assert.True(LeaseRules.CanAcquire(LeaseRules.Evaluate(taken, Me, Now + Duration + TimeSpan.FromMilliseconds(1), null)));
    }

    private static LeaseState Lease(string owner, DateTimeOffset lockedUntil, DateTimeOffset? lastFireTime = null) =>
        new(Job, owner, lockedUntil, lockedUntil - Duration, lockedUntil - Duration, lastFireTime);
}
