package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import mastodon.s3sync.ops.ManagementWiring;

/** Each route file brings its own beans and no other's (Camel autowires by type, which builds every lazy bean). */
@Timeout(30)
class CamelLauncherTest {

    private static List<Class<?>> beans(String... routeFiles) {
        return CamelLauncher.beans(List.of(routeFiles)).stream().<Class<?>>map(CamelConfiguration::getClass).toList();
    }

    @Test
    void eachCommandsRouteFilesGetTheirBeansOnly() {
        assertThat(beans("copy")).containsExactly(StoresAndDatabaseBeans.class, CopyBeans.class,
                ManagementWiring.class);
        assertThat(beans("copy", "repair")).containsExactly(StoresAndDatabaseBeans.class, CopyBeans.class,
                ManagementWiring.class);
        assertThat(beans("mirror")).containsExactly(StoresAndDatabaseBeans.class, MirrorBeans.class,
                ManagementWiring.class);
        assertThat(beans("recover-subscriptions")).containsExactly(StoresAndDatabaseBeans.class, RecoverBeans.class,
                ManagementWiring.class);
        assertThat(beans("copy", "mirror", "recover-follow")).containsExactly(StoresAndDatabaseBeans.class,
                CopyBeans.class, MirrorBeans.class, RecoverBeans.class, ManagementWiring.class);
    }

    @Test
    void noCommandScansTheClassPathForHealthChecks() throws Exception {
        // the scan read the whole jar at every start to find two checks (0.8 s of run's start to its first object);
        // Camel Main registers its own by name and ManagementWiring the route controller's (OperationsTest sees them)
        Properties app = new Properties();
        try (var in = CamelLauncher.class.getResourceAsStream("/application.properties")) {
            app.load(in);
        }
        assertThat(app.getProperty("camel.main.load-health-checks")).isEqualTo("false");
    }

    @Test
    void aOnePassCommandHasNoReloadAndNoManagementPortUnlessAskedFor() {
        Map<String, String> props = new HashMap<>(Map.of("management.enabled", "true"));
        CamelLauncher.onePass(props);
        assertThat(props).containsEntry("camel.main.routes-reload-enabled", "false")
                .containsEntry("management.enabled", "false").containsEntry("camel.main.jmx-enabled", "false")
                .containsEntry("camel.metrics.enable-route-policy", "false")
                .containsEntry("camel.metrics.enabled", "false");
        Map<String, String> asked = new HashMap<>(Map.of("management.enabled", "true", "management.one-pass", "true"));
        CamelLauncher.onePass(asked);
        assertThat(asked).containsEntry("camel.main.routes-reload-enabled", "false")
                .containsEntry("management.enabled", "true").doesNotContainKeys("camel.main.jmx-enabled",
                        "camel.metrics.enable-route-policy", "camel.metrics.enabled");
    }
}
