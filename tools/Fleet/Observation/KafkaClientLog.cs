using System.Globalization;
using Confluent.Kafka;

namespace QuikApp.Workers.Fleet.Observation;

/// <summary>
/// Where the fleet's own Kafka clients (the upstream producer, the lag and topic readers) log: a file in the run
/// directory rather than the terminal, where librdkafka would print every refused connection of a chaos scenario.
/// </summary>
internal sealed class KafkaClientLog(string path) : IDisposable
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };

    public void Write(IClient client, LogMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_writer)
        {
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} {message.Level} {message.Name} {message.Facility}: {message.Message}"));
        }
    }

    public void Dispose()
    {
        lock (_writer)
        {
            _writer.Dispose();
        }
    }
}
