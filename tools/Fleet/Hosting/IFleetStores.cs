namespace QuikApp.Workers.Fleet.Hosting;

/// <summary>
/// Where a worker of a fleet run without MongoDB keeps its state: the run's in-memory stores, in this process
/// (<see cref="InMemoryFleetStores"/>) or reached over loopback HTTP from a child process (<see cref="Remote.RemoteFleetStores"/>).
/// </summary>
internal interface IFleetStores
{
    /// <summary>Puts the run's stores in place of the worker's MongoDB ones.</summary>
    void ReplaceStores(string worker, IServiceCollection services);
}
