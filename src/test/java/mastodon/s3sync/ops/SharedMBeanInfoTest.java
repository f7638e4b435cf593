package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Camel's MBeans described once per class: the same descriptions as Camel's own assembler gives, shared between the
 * MBeans of a class without one MBean's use showing in another's, with masking kept.
 */
@Timeout(60)
class SharedMBeanInfoTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private static CamelContext context(String name, boolean shared) throws Exception {
        DefaultCamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName(name);
        if (shared) {
            SharedMBeanInfo.install(ctx);
        }
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").routeId("route-a")
                        .throttle(5).id("throttle-a")
                        .filter(simple("${body} != null")).id("filter-a")
                        .to("seda:out-a").id("to-seda");
                from("direct:b").routeId("route-b")
                        .throttle(7).id("throttle-b")
                        .setHeader("x", constant("y")).id("header-b")
                        .to("seda:out-b").id("to-seda-b");
                // an endpoint with a secret in its URI (ssh connects per message only: none is sent here)
                from("direct:c").routeId("route-c")
                        .to("ssh://admin@127.0.0.1:9?password=RAW(not-to-be-shown)").id("to-ssh");
            }
        });
        ctx.start();
        return ctx;
    }

    /** The context's MBeans by their name without the context's name and instance hashes (consumers, producers). */
    private static Map<String, List<ObjectName>> mbeans(String context) throws Exception {
        Map<String, List<ObjectName>> names = new TreeMap<>();
        for (ObjectName n : JMX.queryNames(new ObjectName("org.apache.camel:context=" + context + ",*"), null)) {
            String key = n.getCanonicalName().replace(context, "X").replaceAll("\\(0x[0-9a-f]+\\)", "");
            names.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        }
        return names;
    }

    /** Sends one message through each throttle's route, so that each throttle takes its limit. */
    private static void sendOneEach(CamelContext ctx) {
        try (ProducerTemplate template = ctx.createProducerTemplate()) {
            template.send("direct:a", e -> e.getMessage().setBody("a"));
            template.send("direct:b", e -> e.getMessage().setBody("b"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void describesEachMBeanAsCamelDoesOncePerClass() throws Exception {
        CamelContext camels = context("mbeans-camels", false);
        CamelContext ours = context("mbeans-shared", true);
        try {
            assertThat(ours.getCamelContextExtension().getManagementMBeanAssembler())
                    .isInstanceOf(SharedMBeanInfo.class);
            Map<String, List<ObjectName>> expected = mbeans("mbeans-camels");
            Map<String, List<ObjectName>> actual = mbeans("mbeans-shared");
            // the assembler itself is one of the context's services
            assertThat(actual.remove("org.apache.camel:context=X,name=SharedMBeanInfo,type=services")).hasSize(1);
            assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSizeGreaterThan(20);
            int count = 0;
            for (String name : expected.keySet()) {
                assertThat(actual.get(name)).as(name).hasSameSizeAs(expected.get(name));
                count += actual.get(name).size();
                MBeanInfo want = JMX.getMBeanInfo(expected.get(name).get(0));
                MBeanInfo got = JMX.getMBeanInfo(actual.get(name).get(0));
                assertThat(got.getClassName()).as(name).isEqualTo(want.getClassName());
                assertThat(got.getDescription()).as(name).isEqualTo(want.getDescription());
                assertThat(got.getAttributes()).as(name).containsExactlyInAnyOrder(want.getAttributes());
                assertThat(got.getOperations()).as(name).containsExactlyInAnyOrder(want.getOperations());
                assertThat(got.getNotifications()).as(name).containsExactlyInAnyOrder(want.getNotifications());
            }
            // one description per class (and custom class): fewer than the MBeans, whose classes repeat
            int described = ((SharedMBeanInfo) ours.getCamelContextExtension().getManagementMBeanAssembler())
                    .described();
            assertThat(described).isPositive().isLessThan(count - 10);
        } finally {
            ours.stop();
            camels.stop();
        }
    }

    @Test
    void mbeansOfOneClassStaySeparate() throws Exception {
        CamelContext ours = context("mbeans-separate", true);
        try {
            ObjectName a = new ObjectName(
                    "org.apache.camel:context=mbeans-separate,type=processors,name=\"throttle-a\"");
            ObjectName b = new ObjectName(
                    "org.apache.camel:context=mbeans-separate,type=processors,name=\"throttle-b\"");
            assertThat(JMX.getMBeanInfo(a).getClassName()).isEqualTo(JMX.getMBeanInfo(b).getClassName());
            MBeanAttributeInfo limit = throttleAttribute(JMX.getMBeanInfo(a));
            String attribute = limit.getName();
            JMX.setAttribute(a, new Attribute(attribute, value(limit, 11)));
            sendOneEach(ours);
            assertThat(JMX.getAttribute(a, attribute).toString()).isEqualTo("11");
            assertThat(JMX.getAttribute(b, attribute).toString()).isEqualTo("7");
            JMX.setAttribute(b, new Attribute(attribute, value(limit, 13)));
            sendOneEach(ours);
            assertThat(JMX.getAttribute(a, attribute).toString()).isEqualTo("11");
            assertThat(JMX.getAttribute(b, attribute).toString()).isEqualTo("13");
            // no value kept in a (shared) attribute description
            for (MBeanAttributeInfo info : JMX.getMBeanInfo(b).getAttributes()) {
                assertThat(info.getDescriptor().getFieldValue("value")).as(info.getName()).isNull();
            }
        } finally {
            ours.stop();
        }
    }

    @Test
    void secretsInEndpointUrisStayMasked() throws Exception {
        CamelContext ours = context("mbeans-masked", true);
        try {
            boolean found = false;
            for (ObjectName n : JMX.queryNames(
                    new ObjectName("org.apache.camel:context=mbeans-masked,type=endpoints,*"), null)) {
                String uri = String.valueOf(JMX.getAttribute(n, "EndpointUri"));
                assertThat(uri).doesNotContain("not-to-be-shown");
                found |= uri.startsWith("ssh:");
            }
            assertThat(found).isTrue();
        } finally {
            ours.stop();
        }
    }

    /** The throttle's limit (Camel names it MaximumRequests or MaximumConcurrentRequests, by version). */
    private static MBeanAttributeInfo throttleAttribute(MBeanInfo info) {
        for (MBeanAttributeInfo a : info.getAttributes()) {
            if (a.isWritable() && a.getName().startsWith("Maximum")) {
                return a;
            }
        }
        throw new AssertionError("no writable Maximum* attribute: " + java.util.Arrays.toString(info.getAttributes()));
    }

    private static Object value(MBeanAttributeInfo attribute, int n) {
        return switch (attribute.getType()) {
            case "long", "java.lang.Long" -> (long) n;
            case "int", "java.lang.Integer" -> n;
            default -> String.valueOf(n);
        };
    }
}
