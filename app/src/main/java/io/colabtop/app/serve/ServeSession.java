package io.colabtop.app.serve;

import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.fleet.FootprintMeter;
import io.colabtop.app.fleet.Scheduler;
import io.colabtop.app.gce.GceDiscovery;
import io.colabtop.core.Footprint;
import io.colabtop.core.HostSource;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * {@code colabtop serve} running: the same fleet, poller, discovery and cost model as the TUI,
 * headless, feeding a {@link ServeState} that each scrape reads. Owns what it was given: closing it
 * stops the server, discovery, the poller (its SSH connections) and the probes, in that order.
 */
public final class ServeSession implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("colabtop.serve");

    /**
     * @param probeAny        /probe may poll hosts outside the fleet (given as on the command line)
     * @param probeConcurrency probes of hosts outside the fleet running at once, at most
     */
    public record Settings(
            MetricsServer.Settings server,
            Duration interval,
            Duration deadline,
            boolean probeAny,
            int probeConcurrency,
            int probeTargets) {}

    private final ServeState state;
    private final FleetPoller poller;
    private final GceDiscovery discovery;
    private final ProbeTargets probes;
    private final Scheduler own;
    private final MetricsServer server;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ServeSession(
            ServeState state,
            FleetPoller poller,
            GceDiscovery discovery,
            ProbeTargets probes,
            Scheduler own,
            MetricsServer server) {
        this.state = state;
        this.poller = poller;
        this.discovery = discovery;
        this.probes = probes;
        this.own = own;
        this.server = server;
    }

    /**
     * Starts polling, discovery and the HTTP server; returns once the server listens.
     *
     * @param discovery null without --project
     * @throws IllegalArgumentException when the auth or TLS files cannot be used
     * @throws IOException when the address cannot be bound
     */
    public static ServeSession start(
            Settings s, ServeState state, Fleet fleet, FleetPoller poller, GceDiscovery discovery, InstantSource clock)
            throws IOException {
        Scheduler own = Scheduler.system("colabtop-serve");
        ProbeTargets probes = new ProbeTargets(
                state,
                s.probeAny() ? spec -> fleet.hosts().source(spec, spec, null, false) : null,
                s.deadline(),
                s.probeConcurrency(),
                s.probeTargets(),
                clock,
                own);
        FleetCollector collector = new FleetCollector(state::reading);
        MetricsServer server;
        try {
            server = MetricsServer.start(s.server(), new MetricsServer.Fleet() {
                @Override
                public FleetCollector collector() {
                    return collector;
                }

                @Override
                public ProbeTargets probes() {
                    return probes;
                }

                @Override
                public ServeState.Health liveness() {
                    return state.liveness(s.interval(), s.deadline());
                }

                @Override
                public ServeState.Health readiness() {
                    return state.readiness();
                }
            });
        } catch (IOException | RuntimeException e) {
            probes.close();
            own.close();
            throw e;
        }
        FootprintMeter meter = new FootprintMeter();
        own.every(
                () -> {
                    Footprint f = meter.read(); // OSHI: ~100-300 ms the first time, never on a scrape
                    if (f != null) {
                        state.own(f);
                    }
                },
                Duration.ZERO,
                Duration.ofSeconds(5));
        poller.start(s.interval(), state::offer);
        if (discovery != null) {
            discovery.start(state);
        }
        LOG.info("serve: " + server.url() + " for " + poller.sources().size() + " hosts"
                + (discovery != null ? " and discovered VMs" : ""));
        return new ServeSession(state, poller, discovery, probes, own, server);
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public ServeState state() {
        return state;
    }

    /** The names of the hosts polled now (the fleet's and the VMs discovery added). */
    public java.util.List<String> polled() {
        return poller.sources().stream().map(HostSource::name).toList();
    }

    /** Blocks until {@link #close} (from a shutdown hook, on SIGTERM or Ctrl-C). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        try {
            server.close();
            if (discovery != null) {
                discovery.close();
            }
            poller.close();
            probes.close();
            own.close();
        } finally {
            closed.countDown();
        }
    }
}
