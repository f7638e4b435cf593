package mastodon.s3sync.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * The S3 client's endpoint rules, evaluated once per bucket instead of twice per request.
 *
 * <p>For every request the AWS SDK runs S3's endpoint rules twice: once to choose how to sign (the auth scheme
 * provider asks the endpoint for its signing properties) and once to address the request. Their answer depends only on
 * the client's settings and the bucket, never on the object's key (the rules of SDK 2.41 read none of {@code key},
 * {@code prefix}, {@code copySource}, {@code deleteObjectKeys}), so it is the same for every object of a copy. On the
 * copy workers they were about a tenth of the CPU (bench/RESULTS.md, "The endpoint rules once per bucket").
 *
 * <p>The answer is kept per value of the parameters the rules can read; a failed resolution is not kept (it fails
 * again, as without this class). At most {@link #LIMIT} answers are kept, then it resolves without keeping more.
 */
public final class CachedEndpoints implements S3EndpointProvider {

    /** More than any job's buckets times the few setting combinations one client uses. */
    static final int LIMIT = 1024;

    /** Every parameter S3's endpoint rules read (and the two S3 Express switches, whatever a later SDK does). */
    record Key(String bucket, Region region, Boolean useFips, Boolean useDualStack, String endpoint,
            Boolean forcePathStyle, Boolean accelerate, Boolean useGlobalEndpoint, Boolean useObjectLambdaEndpoint,
            Boolean disableAccessPoints, Boolean disableMultiRegionAccessPoints, Boolean useArnRegion,
            Boolean useS3ExpressControlEndpoint, Boolean disableS3ExpressSessionAuth) {

        static Key of(S3EndpointParams p) {
            return new Key(p.bucket(), p.region(), p.useFips(), p.useDualStack(), p.endpoint(), p.forcePathStyle(),
                    p.accelerate(), p.useGlobalEndpoint(), p.useObjectLambdaEndpoint(), p.disableAccessPoints(),
                    p.disableMultiRegionAccessPoints(), p.useArnRegion(), p.useS3ExpressControlEndpoint(),
                    p.disableS3ExpressSessionAuth());
        }
    }

    private final S3EndpointProvider rules;
    private final ConcurrentMap<Key, Endpoint> known = new ConcurrentHashMap<>();

    public CachedEndpoints(S3EndpointProvider rules) {
        this.rules = rules;
    }

    /** The SDK's own rules, kept per bucket. */
    public static CachedEndpoints ofDefaultRules() {
        return new CachedEndpoints(S3EndpointProvider.defaultProvider());
    }

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
        Key key = Key.of(params);
        Endpoint endpoint = known.get(key);
        if (endpoint != null) {
            return CompletableFuture.completedFuture(endpoint);
        }
        CompletableFuture<Endpoint> resolved = rules.resolveEndpoint(params);
        if (resolved.isDone() && !resolved.isCompletedExceptionally() && known.size() < LIMIT) {
            known.putIfAbsent(key, resolved.join());
        }
        return resolved;
    }

    /** How many answers are kept (for tests). */
    int size() {
        return known.size();
    }
}
