using System.Text.Json;
using System.Text.Json.Serialization;
using MongoDB.Bson;

namespace QuikApp.Workers.Fleet.Hosting.Remote;

/// <summary>
/// How a store call crosses from a worker process to the fleet's process: <c>POST /stores/{contract}/{method}</c>
/// with the arguments (the cancellation token stays behind) as a JSON array, answered with the result as JSON.
/// </summary>
internal static class StoreWire
{
    /// <summary>Answered when the store threw an exception the consumer engine treats as transient (an unreachable MongoDB).</summary>
    public const int TransientStatus = StatusCodes.Status503ServiceUnavailable;

    public static JsonSerializerOptions Json { get; } = CreateOptions();

    public static string Path(Type contract, string method) => $"/stores/{contract.Name}/{method}";

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            // Records round-trip through their constructors; infinities and NaN can occur in scores.
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new ObjectIdConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>An ObjectId as its 24 hex digits, as a value and as a dictionary key.</summary>
    private sealed class ObjectIdConverter : JsonConverter<ObjectId>
    {
        public override ObjectId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ObjectId.Parse(reader.GetString() ?? throw new JsonException("an ObjectId cannot be null"));

        public override void Write(Utf8JsonWriter writer, ObjectId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

        public override ObjectId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ObjectId.Parse(reader.GetString() ?? throw new JsonException("an ObjectId key cannot be null"));

        public override void WriteAsPropertyName(Utf8JsonWriter writer, ObjectId value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value.ToString());
    }
}
