namespace QuikApp.Workers.Shared.Hosting;

/// <summary>Which worker this process is (<c>moderation</c>, <c>files</c>, <c>analytics</c>) and which replica.</summary>
public sealed record WorkerIdentity(string Name, string InstanceId)
{
    /// <summary>The consumer group a worker's engines join unless <c>Kafka:GroupId</c> says otherwise.</summary>
    public string DefaultGroupId => $"quikapp-{Name}";

    public string ClientId => $"quikapp-{Name}-{InstanceId}";
}
