package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class S3EventParserTest {

    private final S3EventParser parser = new S3EventParser();

    static String record(String eventName, String key, String sequencer) {
        return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-21T10:00:00.000Z\",\"eventName\":\"" + eventName + "\","
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"mirror\","
                + "\"bucket\":{\"name\":\"media\",\"arn\":\"arn:aws:s3:::media\"},"
                + "\"object\":{\"key\":\"" + key + "\"" + (eventName.contains("Created") ? ",\"size\":5" : "")
                + ",\"eTag\":\"abc\",\"sequencer\":\"" + sequencer + "\"}}}";
    }

    @Test
    void severalRecordsInOneMessage() {
        S3Notification n = parser.parse("{\"Records\":[" + record("ObjectCreated:Put", "a/b.txt", "0055AED6DCD90281E5")
                + "," + record("ObjectRemoved:Delete", "a/c.txt", "0055AED6DCD90281E6") + "]}");
        assertThat(n.kind()).isEqualTo(S3Notification.Kind.RECORDS);
        assertThat(n.records()).hasSize(2);
        S3Event put = n.records().get(0);
        assertThat(put.eventName()).isEqualTo("ObjectCreated:Put");
        assertThat(put.bucket()).isEqualTo("media");
        assertThat(put.key()).isEqualTo("a/b.txt");
        assertThat(put.size()).isEqualTo(5);
        assertThat(put.sequencer()).isEqualTo("0055AED6DCD90281E5");
        assertThat(put.created()).isTrue();
        S3Event del = n.records().get(1);
        assertThat(del.removed()).isTrue();
        assertThat(del.size()).isEqualTo(-1);
    }

    @Test
    void everyCreatedAndRemovedName() {
        for (String name : new String[] {"ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy",
                "ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:Put"}) {
            S3Event e = parser.parse("{\"Records\":[" + record(name, "k", "01") + "]}").records().get(0);
            assertThat(e.created()).as(name).isTrue();
            assertThat(e.eventName()).doesNotStartWith("s3:");
        }
        for (String name : new String[] {"ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated",
                "s3:ObjectRemoved:Delete"}) {
            assertThat(parser.parse("{\"Records\":[" + record(name, "k", "01") + "]}").records().get(0).removed())
                    .as(name).isTrue();
        }
        S3Event other = parser.parse("{\"Records\":[" + record("ObjectRestore:Completed", "k", "01") + "]}").records()
                .get(0);
        assertThat(other.created() || other.removed()).isFalse();
    }

    @Test
    void testEventIsRecognised() {
        S3Notification n = parser.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":"
                + "\"2026-11-21T10:00:00.000Z\",\"Bucket\":\"media\",\"RequestId\":\"R\",\"HostId\":\"H\"}");
        assertThat(n.kind()).isEqualTo(S3Notification.Kind.TEST);
        assertThat(n.records()).isEmpty();
    }

    @Test
    void snsWrappedIsUnwrapped() throws Exception {
        ObjectMapper om = new ObjectMapper();
        String inner = "{\"Records\":[" + record("ObjectCreated:Put", "red+flower.jpg", "0A") + "]}";
        String sns = om.createObjectNode().put("Type", "Notification").put("MessageId", "m-1")
                .put("TopicArn", "arn:aws:sns:us-east-1:1:t").put("Subject", "Amazon S3 Notification")
                .put("Message", inner).put("Timestamp", "2026-11-21T10:00:00.000Z").toString();
        S3Notification n = parser.parse(sns);
        assertThat(n.kind()).isEqualTo(S3Notification.Kind.RECORDS);
        assertThat(n.snsWrapped()).isTrue();
        assertThat(n.records().get(0).key()).isEqualTo("red flower.jpg");
        String snsTest = om.createObjectNode().put("Type", "Notification")
                .put("Message", "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}").toString();
        assertThat(parser.parse(snsTest).kind()).isEqualTo(S3Notification.Kind.TEST);
        String snsJunk = om.createObjectNode().put("Type", "Notification").put("Message", "not json").toString();
        assertThat(parser.parse(snsJunk).kind()).isEqualTo(S3Notification.Kind.UNKNOWN);
    }

    @Test
    void keysAreFormDecoded() {
        String[][] cases = {
                {"red+flower.jpg", "red flower.jpg"},
                {"a%2Bb.txt", "a+b.txt"},
                {"x%3D1.log", "x=1.log"},
                {"caf%C3%A9/%E6%97%A5%E6%9C%AC.txt", "café/日本.txt"},
                {"dir%2Fsub%2Ffile.txt", "dir/sub/file.txt"},
                {"100%25+done%21", "100% done!"},
                {"plain/key.txt", "plain/key.txt"},
        };
        for (String[] c : cases) {
            S3Event e = parser.parse("{\"Records\":[" + record("ObjectCreated:Put", c[0], "01") + "]}").records().get(0);
            assertThat(e.key()).as(c[0]).isEqualTo(c[1]);
            assertThat(e.problem()).isNull();
        }
        // encoded traversal decodes to a traversal, which the mapping refuses
        assertThat(parser.parse("{\"Records\":[" + record("ObjectCreated:Put", "%2E%2E%2Fetc%2Fpasswd", "01") + "]}")
                .records().get(0).key()).isEqualTo("../etc/passwd");
    }

    @Test
    void otherShapesAreUnknown() {
        for (String body : new String[] {"", "   ", "not json", "42", "\"text\"", "[1,2]", "null", "{}",
                "{\"Records\":\"x\"}", "{\"Type\":\"Notification\",\"Message\":{\"Records\":[]}}",
                "{\"version\":\"0\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{}}"}) {
            assertThat(parser.parse(body).kind()).as(body).isEqualTo(S3Notification.Kind.UNKNOWN);
        }
    }

    @Test
    void incompleteRecordsCarryAProblem() {
        S3Notification n = parser.parse("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"},"
                + "{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\"}}},"
                + record("ObjectCreated:Put", "bad%ZZ", "01") + "," + record("ObjectCreated:Put", "k", "xyz") + "]}");
        assertThat(n.records()).hasSize(4).allSatisfy(e -> {
            assertThat(e.problem()).isNotNull();
            assertThat(e.created()).isFalse();
        });
    }

    @Test
    void wrongTypesEmptyRecordsAndBadBucketNamesAreRefused() {
        assertThat(parser.parse("{\"Records\":[]}").kind()).isEqualTo(S3Notification.Kind.UNKNOWN);
        for (String rec : new String[] {
                "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"media\"},\"object\":{\"key\":123}}}",
                "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"media\"},\"object\":{\"key\":[\"a\"]}}}",
                "{\"eventName\":7,\"s3\":{\"bucket\":{\"name\":\"media\"},\"object\":{\"key\":\"a\"}}}",
                "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":true},\"object\":{\"key\":\"a\"}}}",
                "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"media\"},\"object\":{\"key\":\"a\","
                        + "\"sequencer\":12}}}",
                "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"../../etc\"},\"object\":{\"key\":\"a\"}}}",
                "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"${sysenv.HOME}\"},\"object\":{\"key\":\"a\"}}}"}) {
            S3Event e = parser.parse("{\"Records\":[" + rec + "]}").records().get(0);
            assertThat(e.problem()).as(rec).isNotNull();
            assertThat(e.created()).as(rec).isFalse();
        }
        // a size of the wrong type is not needed: the record stays usable
        S3Event sized = parser.parse("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":"
                + "\"My_Old.Bucket-1\"},\"object\":{\"key\":\"a\",\"size\":\"big\"}}}]}").records().get(0);
        assertThat(sized.problem()).isNull();
        assertThat(sized.size()).isEqualTo(-1);
    }
}
