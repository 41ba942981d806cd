package io.colabtop.app;

import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.local.LocalSource;
import io.colabtop.core.HostSource;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The hosts one run watches, resolved from the command line and config, and how to poll them. */
public final class Fleet {
    private final List<HostSource> sources;
    private final Duration deadline;
    private final InstantSource clock;

    private Fleet(List<HostSource> sources, Duration deadline, InstantSource clock) {
        this.sources = sources;
        this.deadline = deadline;
        this.clock = clock;
    }

    static Fleet build(FleetOptions o, AppPaths paths, InstantSource clock) {
        return build(o, paths, clock, false);
    }

    static Fleet build(FleetOptions o, AppPaths paths, InstantSource clock, boolean acceptNew) {
        List<String> specs = new ArrayList<>(new LinkedHashSet<>(o.hosts));
        if (specs.isEmpty()) {
            specs.add(LocalSource.NAME);
        }
        List<HostSource> sources = new ArrayList<>();
        for (String spec : specs) {
            if (spec.equals(LocalSource.NAME)) {
                sources.add(new LocalSource(o.processes, clock));
            } else {
                throw new UsageError("unknown host '" + spec + "'");
            }
        }
        return new Fleet(sources, o.deadline, clock);
    }

    public FleetPoller poller() {
        return new FleetPoller(sources, deadline, FleetPoller.defaultPoolSize(sources.size()), clock);
    }
}
