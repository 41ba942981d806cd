package io.colabtop.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd on 127.0.0.1 with its own host key, authorized_keys and pid file, for
 * tests and benchmarks. Every instance is killed (with its session processes) when closed and,
 * as a backstop, when the JVM exits, so no sshd outlives the build.
 */
public final class TestSshd implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Set<TestSshd> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile Path clientDir;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TestSshd::kill)));
    }

    private final Path dir;
    private final int port;
    private final List<String> extraConfig;
    private Process process;

    private TestSshd(Path dir, int port, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.extraConfig = List.copyOf(extraConfig);
    }

    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** The key the tests log in with (ed25519, no passphrase), made once per JVM. */
    public static synchronized Path clientKey() throws IOException, InterruptedException {
        if (clientDir == null) {
            Path d = Files.createTempDirectory("colabtop-client");
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "colabtop-test", "-f", d.resolve("id_ed25519").toString());
            clientDir = d;
        }
        return clientDir.resolve("id_ed25519");
    }

    public static TestSshd start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /** With extra sshd_config lines, e.g. {@code SetEnv PATH=...}. */
    public static TestSshd start(List<String> extraConfig) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("colabtop-sshd");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_ed25519").toString());
        Files.copy(Path.of(clientKey() + ".pub"), dir.resolve("authorized_keys"));
        TestSshd s = new TestSshd(dir, freePort(), extraConfig);
        s.launch();
        return s;
    }

    private void launch() throws IOException, InterruptedException {
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory
        }
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "MaxStartups 100:30:200",
                "LogLevel ERROR",
                String.join("\n", extraConfig),
                ""));
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        LIVE.add(this);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket sock = new Socket()) {
                sock.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("sshd did not listen on " + port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public Path hostPublicKey() {
        return dir.resolve("host_ed25519.pub");
    }

    /** The known_hosts line that vouches for this server. */
    public String knownHostsLine() throws IOException {
        String[] pub = Files.readString(hostPublicKey()).strip().split("\\s+");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1];
    }

    /** Writes a known_hosts file that trusts these servers. */
    public static Path knownHosts(Path file, TestSshd... servers) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (TestSshd s : servers) {
            sb.append(s.knownHostsLine()).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** A target for this server as the current user, with the test key and a known_hosts file. */
    public SshTarget target(String name, Path knownHosts, KnownHostsVerifier.Policy policy) throws IOException, InterruptedException {
        return new SshTarget(name, "127.0.0.1", port, System.getProperty("user.name"), List.of(clientKey()),
                List.of(knownHosts), knownHosts, policy, Duration.ofSeconds(5), null, null);
    }

    /** Freezes the server and every session process under it: a host that hangs mid-output. */
    public void stop() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String sig) {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            new ProcessBuilder(cmd).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the server and its sessions, like a VM going down; {@link #restart} brings it back. */
    public void kill() {
        if (process == null) {
            return;
        }
        resume(); // a stopped process would not die of SIGTERM
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    public void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir; best effort
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
