package mastodon.s3sync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The kit's real servers start, as whatever user runs the tests, and answer real clients. */
@RealServers
class HarnessSmokeTest {

    @Test
    void serversStartAndAnswer(PostgresServer pg, @SourceStore S3Server a, @TargetStore S3Server b, SqsServer sqs)
            throws Exception {
        pg.createDatabase("smoke");
        try (Connection c = pg.dataSource("smoke").getConnection();
             ResultSet rs = c.createStatement().executeQuery("select version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("PostgreSQL");
        }
        a.createBucket("src");
        try (S3Client s3 = a.client()) {
            s3.putObject(r -> r.bucket("src").key("k"), RequestBody.fromString("hello"));
            assertThat(s3.getObjectAsBytes(r -> r.bucket("src").key("k")).asUtf8String()).isEqualTo("hello");
        }
        // the other endpoint does not accept the first one's credentials
        try (S3Client wrong = S3Client.builder().endpointOverride(URI.create(b.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(a.accessKey, a.secretKey)))
                .forcePathStyle(true).build()) {
            org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> wrong.listBuckets());
        }
        try (SqsClient q = SqsClient.builder().endpointOverride(URI.create(sqs.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            String url = q.createQueue(r -> r.queueName("smoke")).queueUrl();
            q.sendMessage(r -> r.queueUrl(url).messageBody("hi"));
            assertThat(q.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages()).hasSize(1);
        }
    }

    /** What the kit does to the shared stores after each class: objects, unfinished uploads and buckets all go. */
    @Test
    void deleteAllBucketsLeavesTheStoreAsItStarted(@TargetStore S3Server store) {
        store.createBucket("smoke-full");
        try (S3Client s3 = store.client()) {
            s3.putObject(r -> r.bucket("smoke-full").key("a/b"), RequestBody.fromString("x"));
            s3.createMultipartUpload(r -> r.bucket("smoke-full").key("unfinished"));
            store.deleteAllBuckets();
            assertThat(s3.listBuckets().buckets()).isEmpty();
        }
    }
}
