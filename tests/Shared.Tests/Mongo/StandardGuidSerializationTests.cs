using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

public sealed class StandardGuidSerializationTests
{
    public StandardGuidSerializationTests() => StandardGuidSerialization.Register();

    [Fact]
    public void Register_CalledTwice_IsANoOp()
    {
        StandardGuidSerialization.Register();
        StandardGuidSerialization.Register();

        var serializer = Assert.IsType<GuidSerializer>(BsonSerializer.LookupSerializer<Guid>());
        Assert.Equal(GuidRepresentation.Standard, serializer.GuidRepresentation);
    }

    [Fact]
    public void Register_ThenSerializeAGuidProperty_WritesBinarySubtype4()
    {
        var id = Guid.NewGuid();

        var document = new GuidHolder { ChannelId = id }.ToBsonDocument();

        var binary = document["ChannelId"].AsBsonBinaryData;
        Assert.Equal(BsonBinarySubType.UuidStandard, binary.SubType);
        Assert.Equal(id, binary.ToGuid());
    }

    [Fact]
    public void Register_ThenSerializeAGuidInsideAnObjectMap_WritesBinarySubtype4()
    {
        var document = new Dictionary<string, object> { ["userId"] = Guid.NewGuid() }.ToBsonDocument();

        Assert.Equal(BsonBinarySubType.UuidStandard, document["userId"].AsBsonBinaryData.SubType);
    }

    public sealed class GuidHolder
    {
        public Guid ChannelId { get; set; }
    }
}
