namespace QuikApp.Workers.Moderation.Results;

/// <summary>
/// The order results are applied in, as MongoDB stores and compares them: <see cref="ContentVersion.At"/> at millisecond
/// precision (a BSON date holds milliseconds; the driver truncates the ticks below), then <see cref="ContentVersion.EventId"/>
/// as BinData compares (length, subtype, then the bytes of the standard UUID representation). Two versions of one message
/// in the same millisecond are therefore decided by event id, the same way by the store's filter and by the double.
/// </summary>
public static class ContentVersionOrder
{
    /// <summary>The instant as a BSON date keeps it: whole milliseconds since the Unix epoch, truncated.</summary>
    public static long Milliseconds(DateTimeOffset at) => (at.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>Compares event ids byte by byte in their standard (RFC 4122) representation, as MongoDB compares UUID BinData.</summary>
    public static int CompareEventIds(Guid a, Guid b) =>
        a.ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(b.ToByteArray(bigEndian: true));

    /// <summary>Whether <paramref name="incoming"/> replaces <paramref name="stored"/>: later, or the same millisecond and an event id not lower (equal is the same event, re-applied).</summary>
    public static bool Replaces(ContentVersion incoming, ContentVersion? stored)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (stored is null)
        {
            return true;
        }

        var byTime = Milliseconds(incoming.At).CompareTo(Milliseconds(stored.At));
        return byTime > 0 || (byTime == 0 && CompareEventIds(incoming.EventId, stored.EventId) >= 0);
    }

    /// <summary>Whether the two are the same event (a redelivery): it keeps the first <c>processedAt</c>.</summary>
    public static bool IsSameEvent(ContentVersion incoming, ContentVersion? stored) =>
        stored is not null && incoming.EventId == stored.EventId && Milliseconds(incoming.At) == Milliseconds(stored.At);
}
