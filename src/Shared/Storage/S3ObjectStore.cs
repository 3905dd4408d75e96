using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>Objects in Amazon S3 or an S3-compatible store (MinIO, s3rver) through AWSSDK.S3 v4.</summary>
/// <remarks>
/// Uploads are sent whole (<c>UseChunkEncoding = false</c>): S3-compatible stores that do not decode aws-chunked bodies
/// would otherwise store the chunk framing as the object. The SigV4 payload hash still covers the bytes, which needs a
/// seekable stream; other streams are spooled to a temporary file first. Failures are translated by <see cref="S3Failures"/>.
/// </remarks>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private const int SpoolBufferSize = 81_920;
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;

    /// <param name="ownsClient">Whether disposing the store disposes <paramref name="client"/>.</param>
    public S3ObjectStore(IAmazonS3 client, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _ownsClient = ownsClient;
    }

    public async Task<ObjectInfo?> StatAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = location.Bucket, Key = location.Key }, cancellationToken).ConfigureAwait(false);
            return new ObjectInfo(
                metadata.ContentLength,
                string.IsNullOrEmpty(metadata.Headers.ContentType) ? null : metadata.Headers.ContentType,
                metadata.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : null);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw await ExplainForbiddenHeadAsync(location, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && S3Failures.Translate(ex, location, "stat") is { } translated)
        {
            throw translated;
        }
    }

    public async Task<Stream> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(
                new GetObjectRequest { BucketName = location.Bucket, Key = location.Key }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && S3Failures.Translate(ex, location, "read") is { } translated)
        {
            throw translated;
        }

        // The response owns the HTTP connection: disposing the stream returns it to the pool.
        return new GuardedReadStream(response.ResponseStream, location, owner: response);
    }

    public async Task PutAsync(ObjectLocation location, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var spool = content.CanSeek ? null : await SpoolAsync(content, cancellationToken).ConfigureAwait(false);
        try
        {
            var request = new PutObjectRequest
            {
                BucketName = location.Bucket,
                Key = location.Key,
                InputStream = spool ?? content,
                ContentType = contentType,
                AutoCloseStream = false,
                // One plain body: see the remarks on the class.
                UseChunkEncoding = false,
            };
            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && S3Failures.Translate(ex, location, "write") is { } translated)
        {
            throw translated;
        }
        finally
        {
            if (spool is not null)
            {
                await spool.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<bool> DeleteAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        // S3 answers 204 whether or not the key existed; the stat is what tells the two apart.
        if (await StatAsync(location, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        try
        {
            await _client.DeleteObjectAsync(
                new DeleteObjectRequest { BucketName = location.Bucket, Key = location.Key }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && S3Failures.Translate(ex, location, "delete") is { } translated)
        {
            throw translated;
        }
    }

    public async Task MoveAsync(ObjectLocation from, ObjectLocation to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (await StatAsync(from, cancellationToken).ConfigureAwait(false) is null)
        {
            // Re-run after a crash between the copy and the delete's answer: the move already happened.
            if (await StatAsync(to, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            throw new ObjectNotFoundException(from);
        }

        try
        {
            // Server-side copy (content type and metadata travel with it); no bytes pass through the worker.
            await _client.CopyObjectAsync(
                new CopyObjectRequest
                {
                    SourceBucket = from.Bucket,
                    SourceKey = from.Key,
                    DestinationBucket = to.Bucket,
                    DestinationKey = to.Key,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode == "NoSuchBucket")
        {
            // The source answered the stat above, so the missing bucket is the target's.
            throw new ObjectNotFoundException($"Cannot move {from} to {to}: bucket '{to.Bucket}' does not exist.", ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && S3Failures.Translate(ex, from, "copy") is { } translated)
        {
            throw translated;
        }

        await DeleteAsync(from, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    // HEAD responses have no body, so a 403 carries no error code: bad credentials and a bucket policy look alike.
    // A one-byte ranged GET gets the code, so credential problems are retried rather than dead-lettered.
    private async Task<Exception> ExplainForbiddenHeadAsync(ObjectLocation location, AmazonS3Exception head, CancellationToken cancellationToken)
    {
        try
        {
            using var probe = await _client.GetObjectAsync(
                new GetObjectRequest { BucketName = location.Bucket, Key = location.Key, ByteRange = new ByteRange(0, 0) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden && S3Failures.Translate(ex, location, "stat") is { } translated)
        {
            return translated;
        }
        catch (AmazonS3Exception)
        {
            // Anything else (404, 416 for an empty object) says nothing more about the 403.
        }

        return S3Failures.Translate(head, location, "stat")!;
    }

    private static async Task<Stream> SpoolAsync(Stream content, CancellationToken cancellationToken)
    {
        var spool = new FileStream(
            Path.Join(Path.GetTempPath(), $"quikapp-s3-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            SpoolBufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await content.CopyToAsync(spool, cancellationToken).ConfigureAwait(false);
            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
