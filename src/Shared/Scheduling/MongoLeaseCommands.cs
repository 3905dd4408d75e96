using MongoDB.Bson;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>The lease's MongoDB filters and updates, rendered as BSON so they can be compared with the documents we intend.</summary>
/// <remarks>
/// The acquire filter is <see cref="LeaseRules.CanAcquire"/> written as a query. With <c>upsert: true</c> a missing document is
/// inserted (the lease is free); an existing document the filter does not match makes the upsert try to insert a second
/// document with the same <c>_id</c>, which fails with E11000 (duplicate key). The server retries such an upsert itself only
/// when the filter is nothing but equality predicates on the unique key, which ours never is, so E11000 reaches us and
/// means "not acquired" — whether the lease is held, the slot already ran, or another replica won the race to insert it.
/// </remarks>
public static class MongoLeaseCommands
{
    public const string Id = "_id";
    public const string Owner = "owner";
    public const string LockedUntil = "lockedUntil";
    public const string AcquiredAt = "acquiredAt";
    public const string RenewedAt = "renewedAt";
    public const string LastFireTime = "lastFireTime";
    public const string ReleasedAt = "releasedAt";

    /// <summary>Matches the job's lease when it is expired or ours, and, for a scheduled firing, when its slot has not run yet.</summary>
    /// <remarks>
    /// "Expired" is written <c>{ lockedUntil: { $not: { $gte: now } } }</c>, not <c>{ $lt: now }</c>: comparison operators
    /// only match values of the same BSON type, so a lease whose <c>lockedUntil</c> is null, missing or not a date would
    /// match neither "expired" nor "held" and could never be taken again, while <see cref="ToState"/> and
    /// <see cref="LeaseRules"/> read it as free. The same holds for <c>lastFireTime</c> ("not run" unless a date at or after
    /// the slot).
    /// </remarks>
    public static BsonDocument AcquireFilter(LeaseRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = new BsonDocument
        {
            { Id, request.Name },
            {
                "$or", new BsonArray
                {
                    new BsonDocument(LockedUntil, NotAtOrAfter(now)),
                    new BsonDocument(Owner, request.Owner),
                }
            },
        };
        if (request.FireTime is { } fireTime)
        {
            filter.Add(LastFireTime, NotAtOrAfter(fireTime));
        }

        return filter;
    }

    /// <summary>Takes the lease from now for <see cref="LeaseRequest.Duration"/>; a scheduled firing also records its slot.</summary>
    /// <remarks>Every field is set on both paths (insert and update), so there is nothing for <c>$setOnInsert</c> to do.</remarks>
    public static BsonDocument AcquireUpdate(LeaseRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var set = new BsonDocument
        {
            { Owner, request.Owner },
            { LockedUntil, Date(now + request.Duration) },
            { AcquiredAt, Date(now) },
            { RenewedAt, Date(now) },
        };
        if (request.FireTime is { } fireTime)
        {
            set.Add(LastFireTime, Date(fireTime));
        }

        return new BsonDocument("$set", set);
    }

    /// <summary>Matches the lease only while <paramref name="owner"/> holds it (renewal and release never touch someone else's).</summary>
    public static BsonDocument OwnedFilter(string name, string owner) => new()
    {
        { Id, name },
        { Owner, owner },
    };

    public static BsonDocument RenewUpdate(DateTimeOffset now, TimeSpan duration) =>
        new("$set", new BsonDocument
        {
            { LockedUntil, Date(now + duration) },
            { RenewedAt, Date(now) },
        });

    public static BsonDocument ReleaseUpdate(DateTimeOffset now) =>
        new("$set", new BsonDocument
        {
            { LockedUntil, Date(now) },
            { ReleasedAt, Date(now) },
        });

    /// <summary>Reads a lease document; missing fields read as null (lockedUntil as the epoch, i.e. free).</summary>
    public static LeaseState ToState(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new LeaseState(
            document[Id].AsString,
            document.GetValue(Owner, BsonNull.Value) is BsonString owner ? owner.Value : null,
            OptionalDate(document, LockedUntil) ?? DateTimeOffset.UnixEpoch,
            OptionalDate(document, AcquiredAt),
            OptionalDate(document, RenewedAt),
            OptionalDate(document, LastFireTime))
        {
            ReleasedAt = OptionalDate(document, ReleasedAt),
        };
    }

    internal static BsonDateTime Date(DateTimeOffset instant) => new(instant.UtcDateTime);

    /// <summary>An instant as MongoDB stores it: a BSON date has millisecond precision, so anything finer is cut off.</summary>
    public static DateTimeOffset Millis(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());

    private static BsonDocument NotAtOrAfter(DateTimeOffset instant) => new("$not", new BsonDocument("$gte", Date(instant)));

    private static DateTimeOffset? OptionalDate(BsonDocument document, string field) =>
        document.GetValue(field, BsonNull.Value) is BsonDateTime date ? new DateTimeOffset(date.ToUniversalTime(), TimeSpan.Zero) : null;
}
