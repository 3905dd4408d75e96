namespace QuikApp.Workers.Shared.Storage;

/// <summary>The kinds of object store a configured provider can be.</summary>
public enum StorageProviderKind
{
    /// <summary>Not set: inferred from the provider's name when it is s3, local or gridfs.</summary>
    Unspecified,

    /// <summary>Amazon S3 or an S3-compatible store (MinIO, s3rver), through AWSSDK.S3.</summary>
    S3,

    /// <summary>A directory on local disk; buckets are its subdirectories.</summary>
    Local,

    /// <summary>GridFS buckets in the files database (read and delete only: the file-service writes them).</summary>
    GridFs,
}
