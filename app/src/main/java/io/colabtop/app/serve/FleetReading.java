package io.colabtop.app.serve;

import io.colabtop.core.Footprint;
import java.time.Instant;
import java.util.List;

/**
 * Everything one scrape exports, read at once from {@link ServeState}: every host of the fleet as
 * it stands now, and colabtop's own footprint. Immutable; a host missing here has no series.
 *
 * @param own colabtop's own footprint, or null before the first reading
 */
public record FleetReading(Instant at, List<HostReading> hosts, Footprint own) {
    public FleetReading {
        hosts = List.copyOf(hosts);
    }
}
