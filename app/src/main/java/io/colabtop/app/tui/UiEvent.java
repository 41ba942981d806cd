package io.colabtop.app.tui;

import com.googlecode.lanterna.input.KeyStroke;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.core.HostUpdate;
import java.util.function.Consumer;

/**
 * What the UI thread acts on, from its one queue: a key, a poll's outcome, work finished elsewhere
 * that changes what is shown, a resized terminal. Whoever produces one (the input reader, the
 * poller, discovery, an action) only ever enqueues it; the UI thread is the one writer of state.
 */
public sealed interface UiEvent {
    record Key(KeyStroke key) implements UiEvent {}

    record Update(HostUpdate update) implements UiEvent {}

    record Task(Consumer<FleetView> change) implements UiEvent {}

    record Resized() implements UiEvent {}
}
