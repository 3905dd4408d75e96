using System.Net;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;
using QuikApp.Workers.Analytics.Reconciliation;

namespace QuikApp.Workers.Analytics.Tests.Reconciliation;

/// <summary>How counter-reconciliation tells a dropped cursor (code 43) from other server errors.</summary>
public sealed class CursorNotFoundTests
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("localhost", 27017)));

    [Fact]
    public void IsCursorNotFound_GetMoreFailedWithCode43_IsADroppedCursor()
    {
        var error = new MongoCommandException(Connection, "Command getMore failed: cursor id 42 not found.", new BsonDocument("getMore", 42L),
            new BsonDocument { { "ok", 0 }, { "code", 43 }, { "codeName", "CursorNotFound" } });

        Assert.True(CounterReconciliationJob.IsCursorNotFound(error));
    }

    [Fact]
    public void IsCursorNotFound_OtherCommandError_IsNot()
    {
        var error = new MongoCommandException(Connection, "Command find failed: operation exceeded time limit.", new BsonDocument("find", "messages"),
            new BsonDocument { { "ok", 0 }, { "code", 50 }, { "codeName", "MaxTimeMSExpired" } });

        Assert.False(CounterReconciliationJob.IsCursorNotFound(error));
    }
}
