namespace QuikApp.Workers.Shared.Mongo;

/// <summary>The QuikApp databases, by role; their actual names come from <see cref="MongoOptions"/>.</summary>
public enum QuikAppDatabase
{
    Messages,
    Moderation,
    Ml,
    SmartReply,
    Files,
    Analytics,
}
