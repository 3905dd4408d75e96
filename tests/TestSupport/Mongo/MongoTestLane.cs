using DotNet.Testcontainers.Builders;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using Testcontainers.MongoDb;

namespace QuikApp.Workers.Testing.Mongo;

/// <summary>The real-MongoDB test lane: a MongoDB 7 from QUIKAPP_TEST_MONGODB_URL or from Testcontainers, or a clear skip.</summary>
/// <remarks>
/// Register it as an assembly fixture (<c>[assembly: AssemblyFixture(typeof(MongoTestLane))]</c>) and call
/// <see cref="Require"/> at the top of each store test. Order of preference:
/// <list type="number">
/// <item>QUIKAPP_TEST_MONGODB_URL set: use it. Setting it means "run the store tests", so a bad or unreachable URL fails them instead of skipping.</item>
/// <item>A Docker engine answers: start mongo:7 as a single-node replica set (w=majority and change streams behave as in production).</item>
/// <item>Otherwise the lane is unavailable and every store test is skipped with <see cref="NoMongoReason"/> — or fails with
/// it when <see cref="RequireVariable"/> is set (<c>tools/test.sh --require-mongodb</c>): a lane that must run never skips.</item>
/// </list>
/// When <see cref="SkipLogVariable"/> names a file, the lane appends one line per test assembly there at the end of the run
/// (the assembly and how many store tests it skipped), so <c>tools/test.sh</c> can end by saying how many were skipped.
/// Without Docker, Testcontainers refuses at <c>Build()</c> (DockerUnavailableException, ~0.2 s); the probe is also
/// capped at <see cref="DockerProbeBudget"/> in case a configured remote engine does not answer.
/// Each test gets its own database-name prefix; every database with this run's prefix is dropped at dispose.
/// </remarks>
public sealed class MongoTestLane : IAsyncLifetime
{
    public const string UrlVariable = "QUIKAPP_TEST_MONGODB_URL";

    /// <summary>Set (to anything but empty or "0") to make an unavailable lane fail the store tests instead of skipping them.</summary>
    public const string RequireVariable = "QUIKAPP_TEST_REQUIRE_MONGODB";

    /// <summary>A file the lane appends "&lt;assembly&gt;\t&lt;skipped&gt;" to when it skipped store tests.</summary>
    public const string SkipLogVariable = "QUIKAPP_TEST_MONGODB_SKIP_LOG";
    public const string ContainerImage = "mongo:7";
    public const string NoMongoReason =
        "no MongoDB for the store tests: set QUIKAPP_TEST_MONGODB_URL or run where a Docker engine answers (Testcontainers.MongoDb)";

    public static readonly TimeSpan DockerProbeBudget = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan ContainerStartBudget = TimeSpan.FromMinutes(3);

    // Short and unique per run, so a crashed run's leftovers are recognisable and never reused.
    private readonly string _runPrefix = $"qwt{Guid.NewGuid().ToString("N")[..8]}_";
    private int _scopeCount;
    private int _skipCount;
    private MongoDbContainer? _container;
    private IMongoClient? _client;
    private string? _connectionString;
    private string? _misconfiguration;

    /// <summary>Where the MongoDB comes from: the variable's name, "Testcontainers mongo:7", or "none".</summary>
    public string Source { get; private set; } = "none";

    public bool IsAvailable => _client is not null;

    /// <summary>Why store tests are skipped (null when the lane is available).</summary>
    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (!string.IsNullOrWhiteSpace(url))
        {
            Source = UrlVariable;
            Connect(url.Trim());
            return;
        }

        await StartContainerAsync().ConfigureAwait(false);
    }

    /// <summary>Skips the calling test when there is no MongoDB; otherwise hands it a client and its own database prefix.</summary>
    public MongoLaneScope Require()
    {
        if (_misconfiguration is not null)
        {
            throw new InvalidOperationException(_misconfiguration);
        }

        if (!IsAvailable)
        {
            var reason = UnavailableReason ?? NoMongoReason;
            if (IsRequired)
            {
                throw new InvalidOperationException($"{reason}; {RequireVariable} is set, so the store tests must run.");
            }

            Interlocked.Increment(ref _skipCount);
            Assert.Skip(reason);
        }

        var prefix = $"{_runPrefix}{Interlocked.Increment(ref _scopeCount)}_";
        return new MongoLaneScope(_client!, _connectionString!, prefix);
    }

    /// <summary>Whether <see cref="RequireVariable"/> asks for the lane.</summary>
    public static bool IsRequired =>
        Environment.GetEnvironmentVariable(RequireVariable) is { Length: > 0 } value && value != "0";

    public async ValueTask DisposeAsync()
    {
        WriteSkipLog();
        if (_client is not null)
        {
            try
            {
                // Best effort: the databases carry this run's prefix, so leftovers are recognisable and never reused.
                if (Volatile.Read(ref _scopeCount) > 0)
                {
                    await DropRunDatabasesAsync(_client).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is MongoException or TimeoutException or OperationCanceledException)
            {
                // The tests that used the lane have already failed on this; a cleanup error would only repeat it.
            }
            finally
            {
                _client.Dispose();
            }
        }

        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void WriteSkipLog()
    {
        var path = Environment.GetEnvironmentVariable(SkipLogVariable);
        var skipped = Volatile.Read(ref _skipCount);
        if (string.IsNullOrWhiteSpace(path) || skipped == 0)
        {
            return;
        }

        var assembly = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "tests";
        // One short append per assembly; test processes run in parallel, and an append of a line this size is atomic.
        File.AppendAllText(path, $"{assembly}\t{skipped}\n");
    }

    private void Connect(string connectionString)
    {
        try
        {
            // The production factory, so the lane runs with the production settings (Guid subtype 4, w=majority, journal),
            // except reads: primary, because a test reads what it just wrote.
            var options = MongoLaneScope.OptionsFor(connectionString, _runPrefix);
            _client = MongoClientFactory.CreateClient(options, "quikapp-workers/tests");
            _connectionString = connectionString;
        }
        catch (Exception ex) when (ex is MongoConfigurationException or ArgumentException)
        {
            _misconfiguration = $"{UrlVariable} is set but is not a usable MongoDB connection string ({ex.GetType().Name}).";
        }
    }

    private async Task StartContainerAsync()
    {
        MongoDbContainer container;
        try
        {
            // Build() is where Testcontainers looks for a Docker engine; Task.Run + WaitAsync caps a slow endpoint.
            container = await Task.Run(() => new MongoDbBuilder(ContainerImage).WithReplicaSet("rs0").Build())
                .WaitAsync(DockerProbeBudget)
                .ConfigureAwait(false);
        }
        catch (DockerUnavailableException)
        {
            UnavailableReason = NoMongoReason;
            return;
        }
        catch (TimeoutException)
        {
            UnavailableReason = $"{NoMongoReason} (the Docker engine did not answer within {DockerProbeBudget.TotalSeconds:0} s)";
            return;
        }

        try
        {
            using var startBudget = new CancellationTokenSource(ContainerStartBudget);
            await container.StartAsync(startBudget.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await container.DisposeAsync().ConfigureAwait(false);
            UnavailableReason = $"{NoMongoReason} (Docker answered but {ContainerImage} did not start: {ex.GetType().Name}: {ex.Message})";
            return;
        }

        _container = container;
        Source = $"Testcontainers {ContainerImage}";
        // The replica set advertises its in-container address (127.0.0.1:27017); talk to the mapped port directly.
        var url = new MongoUrlBuilder(container.GetConnectionString()) { DirectConnection = true };
        Connect(url.ToString());
    }

    private async Task DropRunDatabasesAsync(IMongoClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var cursor = await client.ListDatabaseNamesAsync(timeout.Token).ConfigureAwait(false);
        foreach (var name in await cursor.ToListAsync(timeout.Token).ConfigureAwait(false))
        {
            if (name.StartsWith(_runPrefix, StringComparison.Ordinal))
            {
                await client.DropDatabaseAsync(name, timeout.Token).ConfigureAwait(false);
            }
        }
    }
}
