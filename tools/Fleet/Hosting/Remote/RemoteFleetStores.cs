using Microsoft.Extensions.DependencyInjection.Extensions;

namespace QuikApp.Workers.Fleet.Hosting.Remote;

/// <summary>
/// In a worker's child process of a run without MongoDB: each store interface is a <see cref="RemoteStoreProxy"/> to
/// the fleet's <see cref="RemoteStoreServer"/>, so the state survives the worker (a SIGKILL loses only what was in flight).
/// </summary>
internal sealed class RemoteFleetStores(Uri address) : IFleetStores, IDisposable
{
    // One client per process; the stores answer on loopback, a call that hangs this long is an outage.
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    public void ReplaceStores(string worker, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var contract in InMemoryFleetStores.Contracts(worker))
        {
            services.Replace(ServiceDescriptor.Singleton(contract, RemoteStoreProxy.Create(contract, _http)));
        }
    }
}
