using Microsoft.Extensions.Logging;

namespace QuikApp.Workers.Testing.Logging;

/// <summary>Writes log lines to the current xunit test's output (shown when a test fails).</summary>
public sealed class TestOutputLoggerProvider(LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    public static ILoggerFactory CreateFactory(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(minimum).AddProvider(new TestOutputLoggerProvider(minimum)));

    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(categoryName[(categoryName.LastIndexOf('.') + 1)..], minimum);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}";
                if (exception is not null)
                {
                    line += $" [{exception.GetType().Name}: {exception.Message}]";
                }

                TestContext.Current.TestOutputHelper?.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test has finished; a background thread logged late.
            }
        }
    }
}
