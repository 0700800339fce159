// Starts one OpenSearch node in this JVM, with the Netty4 transport and
// HTTP and the analysis-common analyzers given as classpath plugins (as
// OpenSearch's own test framework starts its MockNode), until SIGTERM.
package newsidx.test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

public final class Launcher {
    /** A node with plugins from the classpath (the constructor is protected). */
    static final class PluginNode extends Node {
        PluginNode(Environment env, List<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    /**
     * Arguments are node settings, {@code key=value}; {@code key=[a,b]} is a
     * list.
     */
    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                System.err.println("launcher: not key=value: " + arg);
                System.exit(2);
            }
            String key = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            if (value.startsWith("[") && value.endsWith("]")) {
                String inner = value.substring(1, value.length() - 1);
                builder.putList(key, inner.isEmpty() ? List.of() : Arrays.asList(inner.split(",")));
            } else {
                builder.put(key, value);
            }
        }
        Settings settings = builder.build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), null, () -> settings.get("node.name", "node"));
        Node node = new PluginNode(env, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        node.start();
        System.err.println("launcher: node " + settings.get("node.name") + " started");
        stopped.await();
    }
}
