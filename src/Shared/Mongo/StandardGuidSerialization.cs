using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Makes every <see cref="Guid"/> in this process serialize as BSON binary subtype 4 (standard UUID), as the event contract requires.</summary>
/// <remarks>
/// Driver 3.x has no global GuidRepresentation default any more: an unconfigured Guid serializer refuses to write
/// (GuidRepresentation.Unspecified). The registry is process-wide and first-come: once any code has looked up the
/// Guid serializer, a different one can no longer be registered — so call this before touching the driver
/// (<see cref="MongoServiceCollectionExtensions.AddQuikAppMongo(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration, string)"/> does).
/// </remarks>
public static class StandardGuidSerialization
{
    /// <summary>Registers <c>GuidSerializer(GuidRepresentation.Standard)</c>; a no-op when it is already registered.</summary>
    /// <exception cref="InvalidOperationException">A different Guid serializer was registered (or looked up) first.</exception>
    public static void Register()
    {
        try
        {
            // TryRegisterSerializer returns false for an equal serializer already registered, which makes this idempotent.
            BsonSerializer.TryRegisterSerializer(new GuidSerializer(GuidRepresentation.Standard));
        }
        catch (BsonSerializationException ex)
        {
            throw new InvalidOperationException(
                "A different Guid serializer is already registered in this process. QuikApp stores every Guid as BSON binary " +
                "subtype 4 (GuidRepresentation.Standard); call StandardGuidSerialization.Register() before anything uses the driver.",
                ex);
        }
    }
}
