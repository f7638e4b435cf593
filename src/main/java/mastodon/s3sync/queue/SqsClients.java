package mastodon.s3sync.queue;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The one way an SQS client is built here (the mirror's queue, the copy's work queue). */
public final class SqsClients {

    private SqsClients() {
    }

    /**
     * @param endpoint  empty for AWS's own endpoint of the region
     * @param accessKey empty for the standard AWS credential chain
     * @param maxConnections the HTTP pool: one per consumer polling at once and one per request sent meanwhile
     */
    public static SqsClient build(String region, String endpoint, String accessKey, String secretKey,
                                  int maxConnections) {
        var b = SqsClient.builder()
                .region(Region.of(region))
                // a long poll waits up to 20 s: the socket timeout must be longer
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60))
                        .connectionTimeout(Duration.ofSeconds(10)).maxConnections(maxConnections))
                .credentialsProvider(accessKey.isEmpty() ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        if (!endpoint.isEmpty()) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
    }
}
