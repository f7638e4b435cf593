package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.component.micrometer.MicrometerTimerAction;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import mastodon.s3sync.mirror.MirrorAction;
import mastodon.s3sync.mirror.S3Notification;

/**
 * The enums the routes use by name convert through a registered String-to-enum converter (without it Camel searched
 * all its converters on every message): the mirror's comparisons ({@code ${body.placement} == 'MAPPED'}) and the copy's
 * per-object timer ({@code micrometer:timer:…?action=start}).
 */
class EnumNamesTest {

    @Test
    void enumNamesConvertThroughARegisteredConverterAndCompareAsTheRouteExpects() throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            new MirrorBeans().configure(ctx);
            ctx.start();
            assertThat(ctx.getTypeConverterRegistry().lookup(MirrorAction.Placement.class, String.class)).isNotNull();
            assertThat(ctx.getTypeConverterRegistry().lookup(S3Notification.Kind.class, String.class)).isNotNull();

            Exchange e = new DefaultExchange(ctx);
            e.setProperty("p", MirrorAction.Placement.MAPPED);
            assertThat(matches(ctx, e, "${exchangeProperty.p} == 'MAPPED'")).isTrue();
            assertThat(matches(ctx, e, "${exchangeProperty.p} == 'FOLDER'")).isFalse();
            assertThat(matches(ctx, e, "${exchangeProperty.p} == 'MAPED'")).as("an unknown name").isFalse();
            assertThat(matches(ctx, e, "${exchangeProperty.p} != 'REJECTED'")).isTrue();
            e.setProperty("k", S3Notification.Kind.TEST);
            assertThat(matches(ctx, e, "${exchangeProperty.k} == 'TEST'")).isTrue();
            assertThat(matches(ctx, e, "${exchangeProperty.k} == 'RECORDS'")).isFalse();
        }
    }

    @Test
    void theCopyTimersActionConvertsThroughARegisteredConverter() throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            new CopyBeans().configure(ctx);
            ctx.start();
            assertThat(ctx.getTypeConverterRegistry().lookup(MicrometerTimerAction.class, String.class)).isNotNull();
            assertThat(ctx.getTypeConverter().convertTo(MicrometerTimerAction.class, "stop"))
                    .isEqualTo(MicrometerTimerAction.stop);
        }
    }

    private static boolean matches(CamelContext ctx, Exchange e, String simple) {
        Predicate p = ctx.resolveLanguage("simple").createPredicate(simple);
        p.init(ctx);
        return p.matches(e);
    }
}
