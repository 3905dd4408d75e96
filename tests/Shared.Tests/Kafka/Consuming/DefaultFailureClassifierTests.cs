using System.Net.Sockets;
using Confluent.Kafka;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Tests.Kafka.Consuming;

public class DefaultFailureClassifierTests
{
    private readonly DefaultFailureClassifier _classifier = new();

    public static TheoryData<Exception> TransientFailures() =>
    [
        new TimeoutException(),
        new SocketException((int)SocketError.ConnectionRefused),
        new IOException("reset"),
        new HttpRequestException("503"),
        new TransientDependencyException("clamd down"),
        new MongoConnectionException(new ConnectionId(new ServerId(new ClusterId(), new System.Net.DnsEndPoint("db", 27017))), "closed"),
        new KafkaException(ErrorCode.Local_AllBrokersDown),
        new InvalidOperationException("wrapper", new TimeoutException()),
        new AggregateException(new FormatException(), new SocketException()),
    ];

    public static TheoryData<Exception> PermanentFailures() =>
    [
        new PermanentEventException("bad payload"),
        new FormatException(),
        new System.Text.Json.JsonException(),
        new AggregateException(new FormatException(), new PermanentEventException("x")),
    ];

    public static TheoryData<Exception> UnknownFailures() =>
    [
        new InvalidOperationException(),
        new NotSupportedException(),
        new ArgumentException("bug or bad input: unknown until retried"),
        new AggregateException(new FormatException(), new InvalidOperationException()),
    ];

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public void Classify_DependencyFailure_IsTransient(Exception exception) =>
        Assert.Equal(FailureKind.Transient, _classifier.Classify(exception));

    [Theory]
    [MemberData(nameof(PermanentFailures))]
    public void Classify_BadInput_IsPermanent(Exception exception) =>
        Assert.Equal(FailureKind.Permanent, _classifier.Classify(exception));

    [Theory]
    [MemberData(nameof(UnknownFailures))]
    public void Classify_AnythingElse_IsUnknown(Exception exception) =>
        Assert.Equal(FailureKind.Unknown, _classifier.Classify(exception));
}
