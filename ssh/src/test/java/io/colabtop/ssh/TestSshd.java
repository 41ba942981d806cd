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
 * A real OpenSSH sshd on 127.0.0.1 with its own host key(s), authorized_keys and pid file, for
 * tests and benchmarks. Every instance is killed (with its session processes) when closed and,
 * as a backstop, when the JVM exits, so no sshd outlives the build. By default it has one
 * ed25519 host key; {@link #start(List, HostCertificate, List)} gives it several key types
 * and a host certificate, as VMs made from stock images have.
 */
public final class TestSshd implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Set<TestSshd> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile Path clientDir;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TestSshd::kill)));
    }

    /**
     * A host certificate for the server's first host key, signed by {@code caKey} with
     * {@code ssh-keygen -s caKey -h -I colabtop-test -n principals [-V validity]}.
     *
     * @param principals comma-separated host names the certificate is valid for (ssh-keygen -n)
     * @param validity   ssh-keygen -V interval ("-1d:-1h" is already expired), or null for forever
     * @param hostCert   false signs a *user* certificate (no -h): a server must never be trusted with one
     */
    public record HostCertificate(Path caKey, String principals, String validity, boolean hostCert) {
        public HostCertificate(Path caKey, String principals) {
            this(caKey, principals, null, true);
        }
    }

    private final Path dir;
    private final int port;
    private final List<String> keyTypes;
    private final List<String> extraConfig;
    private Process process;

    private TestSshd(Path dir, int port, List<String> keyTypes, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.keyTypes = List.copyOf(keyTypes);
        this.extraConfig = List.copyOf(extraConfig);
    }

    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** The key the tests log in with (ed25519, no passphrase), made once per JVM. */
    public static synchronized Path clientKey() throws IOException, InterruptedException {
        if (clientDir == null) {
            Path d = Files.createTempDirectory("colabtop-client");
            run(
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    "colabtop-test",
                    "-f",
                    d.resolve("id_ed25519").toString());
            clientDir = d;
        }
        return clientDir.resolve("id_ed25519");
    }

    public static TestSshd start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /** With extra sshd_config lines, e.g. {@code SetEnv PATH=...}. */
    public static TestSshd start(List<String> extraConfig) throws IOException, InterruptedException {
        return start(List.of("ed25519"), null, extraConfig);
    }

    /**
     * @param keyTypes host key types, ssh-keygen -t names ("ed25519", "ecdsa", "rsa"); sshd offers
     *                 them all, and the first is the one {@link #knownHostsLine()} names
     * @param cert     a host certificate for the first key, or null
     */
    public static TestSshd start(List<String> keyTypes, HostCertificate cert, List<String> extraConfig)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("colabtop-sshd");
        List<String> config = new ArrayList<>();
        for (String type : keyTypes) {
            run(
                    "ssh-keygen",
                    "-q",
                    "-t",
                    type,
                    "-N",
                    "",
                    "-f",
                    dir.resolve("host_" + type).toString());
        }
        if (cert != null) {
            List<String> sign = new ArrayList<>(List.of(
                    "ssh-keygen", "-q", "-s", cert.caKey().toString(), "-I", "colabtop-test", "-n", cert.principals()));
            if (cert.hostCert()) {
                sign.add("-h");
            }
            if (cert.validity() != null) {
                sign.add("-V");
                sign.add(cert.validity());
            }
            sign.add(dir.resolve("host_" + keyTypes.get(0) + ".pub").toString());
            run(sign.toArray(String[]::new));
            config.add("HostCertificate " + dir.resolve("host_" + keyTypes.get(0) + "-cert.pub"));
        }
        config.addAll(extraConfig);
        Files.copy(Path.of(clientKey() + ".pub"), dir.resolve("authorized_keys"));
        TestSshd s = new TestSshd(dir, freePort(), keyTypes, config);
        s.launch();
        return s;
    }

    /** A key pair made with ssh-keygen (a CA for host certificates, a key no server has); returns the private key. */
    public static Path newKey(Path dir, String name, String type) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    /** "type base64" of a public key file, as known_hosts lines carry it. */
    public static String publicKey(Path pub) throws IOException {
        String[] f = Files.readString(pub).strip().split("\\s+");
        return f[0] + " " + f[1];
    }

    private void launch() throws IOException, InterruptedException {
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory
        }
        Files.writeString(
                dir.resolve("sshd_config"),
                String.join(
                        "\n",
                        "Port " + port,
                        "ListenAddress 127.0.0.1",
                        String.join(
                                "\n",
                                keyTypes.stream()
                                        .map(t -> "HostKey " + dir.resolve("host_" + t))
                                        .toList()),
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
        process = new ProcessBuilder(
                        SSHD.toString(),
                        "-D",
                        "-e",
                        "-f",
                        dir.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
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
        return hostPublicKey(keyTypes.get(0));
    }

    /** The public host key of one type (an ssh-keygen -t name this server was started with). */
    public Path hostPublicKey(String type) {
        return dir.resolve("host_" + type + ".pub");
    }

    /** The known_hosts line that vouches for this server, as ssh-keyscan prints it. */
    public String knownHostsLine() throws IOException {
        return knownHostsLine(keyTypes.get(0));
    }

    /** The known_hosts line for this server's key of one type. */
    public String knownHostsLine(String type) throws IOException {
        return "[127.0.0.1]:" + port + " " + publicKey(hostPublicKey(type));
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
    public SshTarget target(String name, Path knownHosts, KnownHostsVerifier.Policy policy)
            throws IOException, InterruptedException {
        return new SshTarget(
                name,
                "127.0.0.1",
                port,
                System.getProperty("user.name"),
                List.of(clientKey()),
                List.of(knownHosts),
                knownHosts,
                policy,
                Duration.ofSeconds(5),
                null,
                null);
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
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
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
