namespace QuikApp.Workers.Shared.Storage;

/// <summary>What a store knows about an object without reading it: size in bytes, content type if recorded, last modification.</summary>
public sealed record ObjectInfo(long Size, string? ContentType, DateTimeOffset? LastModified);
