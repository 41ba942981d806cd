package io.colabtop.core;

/** The text handed to a parser is not what it expects (truncated, wrong file, garbled). */
public class ParseException extends RuntimeException {
    public ParseException(String message) {
        super(message);
    }

    public ParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
