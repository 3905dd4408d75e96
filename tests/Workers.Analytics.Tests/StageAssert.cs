using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace QuikApp.Workers.Analytics.Tests;

/// <summary>Compares a rendered pipeline with the intended one, written in shell syntax (UUID(…), ISODate(…)) as the seed is.</summary>
internal static class StageAssert
{
    public static void Equal(string expected, IEnumerable<BsonDocument> actual)
    {
        var intended = BsonSerializer.Deserialize<BsonArray>(expected);
        var rendered = new BsonArray(actual);
        Assert.True(intended.Count == rendered.Count, $"expected {intended.Count} stages, rendered {rendered.Count}:\n{rendered.ToJson(Indented)}");
        for (var i = 0; i < intended.Count; i++)
        {
            Assert.True(
                intended[i].Equals(rendered[i]),
                $"stage {i} differs\nexpected: {intended[i].ToJson(Indented)}\nrendered: {rendered[i].ToJson(Indented)}");
        }
    }

    public static void Equal(string expected, BsonDocument actual) =>
        Assert.True(BsonDocument.Parse(expected).Equals(actual), $"expected: {BsonDocument.Parse(expected).ToJson(Indented)}\nrendered: {actual.ToJson(Indented)}");

    private static readonly MongoDB.Bson.IO.JsonWriterSettings Indented = new() { Indent = true };
}
