// A local Neo4j Community 5.26 server for development and tests, without Docker.
//
// Maven Central carries the embedded database (org.neo4j:neo4j) but not the standalone
// tarball, so this launcher starts the embedded DBMS with its Bolt connector on loopback.
// Run as a single source file: java -cp 'lib/*' AllianceNeo4j.java HOME PORT PASSWORD
// (service/neo4j_local.py compiles it once instead). A PASSWORD of "-" is read from stdin,
// which, unlike the command line, other users cannot see in `ps`.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class AllianceNeo4j {
    private static long databasesUp;

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: AllianceNeo4j HOME PORT PASSWORD");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args[2].equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
                : args[2];
        if (password == null || password.isEmpty()) {
            System.err.println("AllianceNeo4j: no password given");
            System.exit(2);
        }
        Files.createDirectories(home);

        long booted = ManagementFactory.getRuntimeMXBean().getUptime();
        DatabaseManagementService dbms;
        try {
            dbms = start(home, port, password);
        } catch (Exception e) {
            // Neo4j's own threads are not daemons: without an explicit exit a failed start would
            // leave a JVM running that never becomes ready.
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));
        // where a start's time goes (ms since the JVM started): the JVM, the databases, the password's statement
        System.out.println("alliance-neo4j timing: jvm " + booted + " ms, databases " + databasesUp
                + " ms, password set " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        System.out.println("alliance-neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static long pageCache() {
        String configured = System.getenv("ALLIANCE_NEO4J_PAGECACHE");
        return configured == null || configured.isBlank() ? 1L << 30 : Long.parseLong(configured.trim());
    }

    // An index population job gets one worker thread per four cores by default (one on two cores). A worker per
    // core, ALLIANCE_NEO4J_INDEX_WORKERS=2, was not shown faster on the shared two-core machine (bench/RESULTS.md,
    // issue 16): the default stays unless it is set.
    private static DatabaseManagementServiceBuilder indexWorkers(DatabaseManagementServiceBuilder builder) {
        String configured = System.getenv("ALLIANCE_NEO4J_INDEX_WORKERS");
        return configured == null || configured.isBlank()
                ? builder
                : builder.setConfig(GraphDatabaseInternalSettings.index_population_workers,
                        Integer.parseInt(configured.trim()));
    }

    private static DatabaseManagementService start(Path home, int port, String password) {
        DatabaseManagementService dbms = indexWorkers(new DatabaseManagementServiceBuilder(home))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // a local dev/test server has no business reporting usage (nor, here, any internet)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
                // The default page cache is half the machine's memory; a test or dev server on a shared
                // 2-core box gets a fixed size instead (ALLIANCE_NEO4J_PAGECACHE, bytes, default 1 GiB).
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache())
                // Transaction logs are kept two days by default: several GiB after a day of test runs
                // and load benchmarks. A local server has no backups or clusters that need them.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // Netty waits this many idle seconds per event loop group before it stops; the
                // default (5) makes every stop about ten seconds longer than the database needs.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        databasesUp = ManagementFactory.getRuntimeMXBean().getUptime();
        try {
            // The default user starts with password "neo4j" and must change it; set the given one
            // directly through the system database so clients can log in at once. A restart passes
            // the password the store already has (service/neo4j_local.py keeps it), which Neo4j
            // refuses to "change": that refusal means the password is already the one wanted.
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            if (!samePassword(e)) {
                dbms.shutdown();
                throw e;
            }
        }
        return dbms;
    }

    private static boolean samePassword(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("Old password and new password cannot be the same")) {
                return true;
            }
        }
        return false;
    }
}
