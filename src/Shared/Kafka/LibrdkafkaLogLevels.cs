using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace QuikApp.Workers.Shared.Kafka;

/// <summary>
/// How librdkafka's log lines map to the host's levels: errors and warnings as such, its chatty notices and info
/// (every reconnect) at Debug, its debug output at Trace.
/// </summary>
public static class LibrdkafkaLogLevels
{
    public static LogLevel Of(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Debug,
        _ => LogLevel.Trace,
    };
}
