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
        BulkWriteConcernTimeout(),
    ];

    /// <summary>What the driver throws when a bulk write was applied but wtimeout passed before a majority confirmed it.</summary>
    private static MongoBulkWriteException<MongoDB.Bson.BsonDocument> BulkWriteConcernTimeout()
    {
        // WriteConcernError is built only from a server reply (internal constructor); build the one the driver would.
        var error = (WriteConcernError)Activator.CreateInstance(typeof(WriteConcernError),
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, binder: null,
            args: [64, "WriteConcernFailed", "waiting for replication timed out", new MongoDB.Bson.BsonDocument("wtimeout", true), Array.Empty<string>()],
            culture: null)!;
        var connection = new ConnectionId(new ServerId(new ClusterId(), new System.Net.DnsEndPoint("db", 27017)));
        var result = new BulkWriteResult<MongoDB.Bson.BsonDocument>.Acknowledged(1, 0, 0, 0, 1, [], []);
        return new MongoBulkWriteException<MongoDB.Bson.BsonDocument>(connection, result, [], error, []);
    }

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
