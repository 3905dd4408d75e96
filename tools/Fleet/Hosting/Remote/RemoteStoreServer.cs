using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Fleet.Hosting.Remote;

/// <summary>
/// Serves the run's in-memory stores on a loopback port, so workers in child processes (<c>--processes</c> without
/// MongoDB) share one state that outlives them, as a MongoDB would: a worker killed with SIGKILL comes back to what it
/// wrote. Each call is one request (<see cref="StoreWire"/>); an exception the engine treats as transient (the stores'
/// injected outages, timeouts) is answered 503 so the worker retries, anything else 500 with its message.
/// </summary>
internal sealed class RemoteStoreServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RemoteStoreServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<RemoteStoreServer> StartAsync(InMemoryFleetStores stores, IEnumerable<string> workers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var classifier = new DefaultFailureClassifier();
        foreach (var (contract, store) in workers.SelectMany(stores.For).DistinctBy(s => s.Contract))
        {
            foreach (var method in contract.GetMethods())
            {
                if (!IsServable(method))
                {
                    continue; // streams are not served: the jobs that read them need MongoDB leases and are off
                }

                app.MapPost(StoreWire.Path(contract, method.Name), (HttpContext context) => InvokeAsync(context, store, method, classifier));
            }
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RemoteStoreServer(app, new Uri(address));
    }

    /// <summary>Methods that return a task, whose every parameter but the cancellation token can go over JSON.</summary>
    public static bool IsServable(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.ReturnType == typeof(Task) || method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<object?[]> ReadArgumentsAsync(HttpContext context, MethodInfo method)
    {
        var parameters = method.GetParameters();
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var values = body.RootElement.EnumerateArray().ToList();
        var arguments = new object?[parameters.Length];
        var next = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = parameters[i].ParameterType == typeof(CancellationToken)
                ? context.RequestAborted
                : values[next++].Deserialize(parameters[i].ParameterType, StoreWire.Json);
        }

        return arguments;
    }

    private static async Task InvokeAsync(HttpContext context, object store, MethodInfo method, DefaultFailureClassifier classifier)
    {
        object? result;
        try
        {
            var arguments = await ReadArgumentsAsync(context, method).ConfigureAwait(false);
            var task = (Task)method.Invoke(store, arguments)!;
            await task.ConfigureAwait(false);
            result = method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            var failure = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            context.Response.StatusCode = classifier.Classify(failure) == FailureKind.Transient ? StoreWire.TransientStatus : StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync($"{failure.GetType().Name}: {failure.Message}", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        var type = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : typeof(object);
        await JsonSerializer.SerializeAsync(context.Response.Body, result, type, StoreWire.Json, context.RequestAborted).ConfigureAwait(false);
    }
}
