package mastodon.s3sync.testing;

import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * The kit's own S3 clients (fixtures, assertions) sign requests to its http stores with {@code UNSIGNED-PAYLOAD}, as
 * the SDK does over https. Over http the SDK always signs the payload, and s3proxy checks it: a SHA-256 of every
 * uploaded byte on both sides, which the test JVMs (quick compiler only, no SHA intrinsic: about 90 MB/s) paid for
 * every fixture object (the largest single cost in a profile of the suite). SigV4 does not sign the scheme, so the
 * signature made as if for https is valid over http. The tool's own clients are not touched: what they send is the
 * SDK's default.
 */
final class UnsignedPayloadOverHttp implements AwsV4AuthScheme {

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    @Override
    public String schemeId() {
        return SCHEME_ID;
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return providers.identityProvider(AwsCredentialsIdentity.class);
    }

    @Override
    public AwsV4HttpSigner signer() {
        return new AwsV4HttpSigner() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                SdkHttpRequest http = request.request();
                if (!"http".equals(http.protocol())) {
                    return SIGNER.sign(request);
                }
                SignedRequest signed = SIGNER.sign(asHttps(request, http));
                return signed.copy(b -> b.request(signed.request().toBuilder().protocol("http").build()));
            }

            @Override
            public CompletableFuture<AsyncSignedRequest> signAsync(
                    AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
                return SIGNER.signAsync(request);
            }
        };
    }

    private static <T extends AwsCredentialsIdentity> SignRequest<T> asHttps(SignRequest<T> request,
                                                                            SdkHttpRequest http) {
        return request.copy(b -> b.request(http.toBuilder().protocol("https").build())
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    }
}
