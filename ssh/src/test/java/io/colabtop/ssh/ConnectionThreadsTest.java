package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.testing.HostTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kept-open host costs colabtop in threads: sshj's reader, and nothing that only sleeps (a
 * keep-alive thread per connection was 100 threads at 100 hosts). Real connections to a real sshd.
 */
@HostTest
class ConnectionThreadsTest {
    @TempDir
    Path tmp;

    static long threadsOf(String className) {
        long n = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            Class<?> c = e.getKey().getClass();
            for (; c != null; c = c.getSuperclass()) {
                if (c.getName().equals(className)) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    @Test
    void aKeptOpenHostCostsItsReaderThreadAndNoKeepAliveThread() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        int hosts = 4;
        try (TestSshd sshd = TestSshd.start()) {
            Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd);
            long keepAliveBefore = threadsOf("net.schmizz.keepalive.KeepAlive");
            long readersBefore = threadsOf("net.schmizz.sshj.transport.Reader");
            int allBefore = Thread.activeCount();
            List<RemoteSource> sources = new ArrayList<>();
            try {
                for (int i = 0; i < hosts; i++) {
                    RemoteSource s = new RemoteSource(
                            sshd.target("vm" + i, kh, KnownHostsVerifier.Policy.STRICT),
                            20,
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(1),
                            InstantSource.system());
                    sources.add(s);
                    assertNotNull(s.poll().memory(), "a real snapshot over a kept-open connection");
                }
                assertEquals(
                        hosts,
                        threadsOf("net.schmizz.sshj.transport.Reader") - readersBefore,
                        "one reader per connection: the connections are open");
                assertEquals(
                        0,
                        threadsOf("net.schmizz.keepalive.KeepAlive") - keepAliveBefore,
                        "no keep-alive thread per connection");
                assertTrue(
                        Thread.activeCount() - allBefore <= hosts + 1,
                        "threads added for " + hosts + " hosts: " + (Thread.activeCount() - allBefore));
                for (RemoteSource s : sources) {
                    assertNotNull(s.poll().memory(), "still answering on the next poll");
                }
            } finally {
                for (RemoteSource s : sources) {
                    s.close();
                }
            }
        }
    }
}
