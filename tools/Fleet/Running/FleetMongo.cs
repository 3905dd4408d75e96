using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Fleet.Running;

/// <summary>The fleet's own MongoDB client (as the upstream services and the observer), configured as the workers configure theirs.</summary>
internal sealed class FleetMongo : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private FleetMongo(ServiceProvider services)
    {
        _services = services;
        Catalog = services.GetRequiredService<MongoCatalog>();
    }

    public MongoCatalog Catalog { get; }

    public static FleetMongo Connect(string url)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("Mongo:ConnectionString", url)]).Build();
        return new FleetMongo(new ServiceCollection().AddLogging().AddQuikAppMongo(configuration, "fleet").BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
