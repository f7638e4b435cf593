package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A route calls a bean method by name ({@code bean: {ref: counter, method: malformed}}). When the class also has the
 * getter of that name ({@code getMalformed()} or {@code isMalformed()}), both without parameters, Camel's bean binding
 * may take either, or fail with "Ambiguous method invocations possible", depending on the order the JVM lists the
 * methods in: the follower of recover-follow.camel.yaml counted no malformed line in one run out of several (CI,
 * 2026-11-29), because DroppedSubscriptionCounter had both {@code malformed()} and {@code getMalformed()}.
 */
class RouteBeanMethodsTest {

    @Test
    void noClassHasANoArgumentMethodBesideAGetterOfTheSameName() throws Exception {
        List<String> clashes = new ArrayList<>();
        for (Class<?> c : mainClasses()) {
            Set<String> noArgs = Arrays.stream(c.getMethods())
                    // this project's methods (Camel's services have init()/isInit(): no route calls those)
                    .filter(m -> m.getParameterCount() == 0 && m.getDeclaringClass().getName().startsWith("mastodon.")
                            && !Modifier.isStatic(m.getModifiers()))
                    .map(Method::getName).collect(Collectors.toSet());
            for (String name : noArgs) {
                String cap = name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
                if (!name.startsWith("get") && !name.startsWith("is")
                        && (noArgs.contains("get" + cap) || noArgs.contains("is" + cap)) && !c.isRecord()) {
                    clashes.add(c.getName() + "." + name + "() beside its getter");
                }
            }
        }
        assertThat(clashes).isEmpty();
    }

    /** The classes of src/main (target/classes), but records: their accessors are plain names with no getters. */
    private static List<Class<?>> mainClasses() throws IOException {
        Path root = Path.of("target/classes");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("mastodon"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    classes.add(Class.forName(name, false, RouteBeanMethodsTest.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    // not loadable on its own: not a bean a route calls
                }
            }
        }
        assertThat(classes).hasSizeGreaterThan(50);
        return classes;
    }
}
