using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Text.Json;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Fleet.Hosting.Remote;

/// <summary>
/// A store interface implemented by calls to the fleet's <see cref="RemoteStoreServer"/>. A refused connection, a
/// timeout or a 503 surface as the transient failures the consumer engine retries (pausing the partition), as an
/// unreachable MongoDB's would; a 500 as an <see cref="InvalidOperationException"/> with the store's message.
/// </summary>
public class RemoteStoreProxy : DispatchProxy
{
    private static readonly ConcurrentDictionary<Type, MethodInfo> Callers = new();
    private static readonly MethodInfo CallTyped = typeof(RemoteStoreProxy).GetMethod(nameof(CallAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private HttpClient _http = null!;
    private Type _contract = null!;

    /// <summary>A <typeparamref name="TContract"/> whose calls go to the server at <paramref name="http"/>'s base address.</summary>
    public static TContract Create<TContract>(HttpClient http)
        where TContract : class => (TContract)Create(typeof(TContract), http);

    public static object Create(Type contract, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var proxy = (RemoteStoreProxy)DispatchProxy.Create(contract, typeof(RemoteStoreProxy));
        proxy._http = http;
        proxy._contract = contract;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (!RemoteStoreServer.IsServable(targetMethod))
        {
            throw new NotSupportedException($"{_contract.Name}.{targetMethod.Name} is not served to worker processes (a stream: its jobs need MongoDB)");
        }

        args ??= [];
        var token = args.OfType<CancellationToken>().FirstOrDefault();
        var parameters = targetMethod.GetParameters();
        var sent = parameters.Select((p, i) => (p, i)).Where(x => x.p.ParameterType != typeof(CancellationToken))
            .Select(x => JsonSerializer.SerializeToElement(args[x.i], x.p.ParameterType, StoreWire.Json)).ToArray();
        var path = StoreWire.Path(_contract, targetMethod.Name);
        if (targetMethod.ReturnType == typeof(Task))
        {
            return SendAsync(path, sent, token);
        }

        var result = targetMethod.ReturnType.GetGenericArguments()[0];
        return Callers.GetOrAdd(result, r => CallTyped.MakeGenericMethod(r)).Invoke(this, [path, sent, token]);
    }

    private async Task<TResult> CallAsync<TResult>(string path, JsonElement[] arguments, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(path, arguments, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await response.Content.ReadFromJsonAsync<TResult>(StoreWire.Json, cancellationToken).ConfigureAwait(false))!;
        }
        catch (JsonException ex)
        {
            // Not the event's fault (the engine would call a JsonException a bad payload): a mismatch of the two sides.
            throw new InvalidOperationException($"the fleet's store answered {path} with what this worker cannot read: {ex.Message}", ex);
        }
    }

    private async Task SendAsync(string path, JsonElement[] arguments, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(path, arguments, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(string path, JsonElement[] arguments, CancellationToken cancellationToken)
    {
        var response = await _http.PostAsJsonAsync(path, arguments, StoreWire.Json, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var message = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw response.StatusCode == (HttpStatusCode)StoreWire.TransientStatus
                ? new TransientDependencyException($"the fleet's store failed {path}: {message}")
                : new InvalidOperationException($"the fleet's store failed {path} ({(int)response.StatusCode}): {message}");
        }
    }
}
