package io.colabtop.core.oom;

import java.time.Duration;

/**
 * How long until a host's memory and swap run out at the pace of the last minutes, or why there
 * is no such figure. Made by {@link HeadroomSeries}.
 *
 * @param secondsToOom          the forecast, when {@code state} is {@link State#DECLINING}; else null
 * @param headroomBytes         MemAvailable + SwapFree now (robust level), or -1 without samples
 * @param slopeBytesPerSecond   robust slope of the headroom (negative: shrinking); 0 without one
 * @param samples               samples in the window
 * @param span                  time the samples cover
 * @param why                   in words, for the host view and JSON
 */
public record OomForecast(
        State state,
        Long secondsToOom,
        long headroomBytes,
        double slopeBytesPerSecond,
        int samples,
        Duration span,
        String why) {

    /** JSON writes {@link #label()}. */
    public enum State {
        /** Too few samples, or over too short a time, to say. */
        INSUFFICIENT_DATA("insufficient-data"),
        /** Not shrinking, shrinking too little or too unevenly to call, or too slowly to matter. */
        STEADY("steady"),
        /** It was shrinking, but the latest readings are well above the trend: something let go. */
        RECOVERING("recovering"),
        /** Shrinking steadily: {@link #secondsToOom} says when it runs out. */
        DECLINING("declining");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static final OomForecast NONE =
            new OomForecast(State.INSUFFICIENT_DATA, null, -1, 0, 0, Duration.ZERO, "no samples yet");

    /** The forecast as a duration, or null. */
    public Duration timeToOom() {
        return secondsToOom == null ? null : Duration.ofSeconds(secondsToOom);
    }

    /** "~7m", "~1h20m", "<1m", for the table; empty without a forecast. */
    public String shortText() {
        if (secondsToOom == null) {
            return "";
        }
        long s = secondsToOom;
        if (s < 60) {
            return "<1m";
        }
        long m = (s + 30) / 60;
        return m < 60 ? "~" + m + "m" : "~" + (m / 60) + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
    }
}
