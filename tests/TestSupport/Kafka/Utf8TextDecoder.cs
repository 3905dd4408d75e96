using System.Text;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Testing.Kafka;

/// <summary>Decodes a record's value as UTF-8 text; values starting with <c>!malformed</c> fail to decode.</summary>
public sealed class Utf8TextDecoder : IRecordDecoder<string>
{
    public const string MalformedPrefix = "!malformed";

    public DecodeResult<string> Decode(KafkaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = record.Value is null ? string.Empty : Encoding.UTF8.GetString(record.Value);
        return text.StartsWith(MalformedPrefix, StringComparison.Ordinal)
            ? DecodeResult.Failure<string>("value is marked malformed")
            : DecodeResult.Success(text);
    }
}
