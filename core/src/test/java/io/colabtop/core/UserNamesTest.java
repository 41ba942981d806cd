package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** /etc/passwd parsed once per text: a tick that brings the same text reuses the names. */
class UserNamesTest {
    private static final String PASSWD =
            "root:x:0:0:root:/root:/bin/bash\nsarah_example_com:x:1001:1002::/home/s:/bin/bash\n";

    @Test
    void theSameTextIsNotParsedAgain() {
        UserNames first = UserNames.parse(PASSWD, null);
        assertEquals("sarah_example_com", first.nameOf(1001));
        assertSame(first, UserNames.parse(PASSWD, first), "the same String");
        assertSame(first, UserNames.parse(new String(PASSWD.toCharArray()), first), "an equal copy (sent again)");
    }

    @Test
    void aChangedTextIsParsed() {
        UserNames first = UserNames.parse(PASSWD, null);
        UserNames next = UserNames.parse(PASSWD + "ada:x:1003:1003::/home/ada:/bin/sh\n", first);
        assertNotSame(first, next);
        assertEquals("ada", next.nameOf(1003));
        assertEquals("1003", first.nameOf(1003));
        assertEquals("1001", UserNames.parse(null, next).nameOf(1001), "no text: no names");
    }
}
