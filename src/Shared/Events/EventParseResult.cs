using System.Diagnostics.CodeAnalysis;

namespace QuikApp.Workers.Shared.Events;

/// <summary>The outcome of parsing one event: the envelope, or the reason it breaks the contract.</summary>
public sealed class EventParseResult
{
    private EventParseResult(EventEnvelope? envelope, string? failureReason)
    {
        Envelope = envelope;
        FailureReason = failureReason;
    }

    public EventEnvelope? Envelope { get; }

    /// <summary>Names the offending field first, e.g. <c>data.channelId: expected a UUID string, got number</c>.</summary>
    public string? FailureReason { get; }

    [MemberNotNullWhen(true, nameof(Envelope))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool IsSuccess => Envelope is not null;

    public static EventParseResult Success(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new(envelope, null);
    }

    public static EventParseResult Failure(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(null, reason);
    }

    public override string ToString() => IsSuccess ? $"Success({Envelope.EventType} {Envelope.EventId})" : $"Failure({FailureReason})";
}
