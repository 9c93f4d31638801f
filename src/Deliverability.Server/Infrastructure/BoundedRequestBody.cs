using Microsoft.AspNetCore.Http.Features;

namespace Deliverability.Server.Infrastructure;

/// <summary>The bytes of a request body read up to a limit; <see cref="TooLarge"/> when the client sent (or announced) more.</summary>
public sealed record BoundedRequestBody(ReadOnlyMemory<byte> Bytes, bool TooLarge)
{
    /// <summary>
    /// Reads the body of <paramref name="context"/>'s request, stopping past <paramref name="maxBytes"/>: a hostile client
    /// cannot make the service hold more, whether it announces a length or sends chunks.
    /// </summary>
    public static async ValueTask<BoundedRequestBody> ReadAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return new BoundedRequestBody(ReadOnlyMemory<byte>.Empty, TooLarge: true);
        }

        // Also when no length is announced (chunked): the server stops reading past the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        using var body = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return new BoundedRequestBody(ReadOnlyMemory<byte>.Empty, TooLarge: true);
                }

                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new BoundedRequestBody(ReadOnlyMemory<byte>.Empty, TooLarge: true);
        }

        return new BoundedRequestBody(body.GetBuffer().AsMemory(0, (int)body.Length), TooLarge: false);
    }
}
