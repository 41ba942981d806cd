package io.colabtop.app.tui.dialog;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.colabtop.app.tui.render.HintBar;
import io.colabtop.app.tui.render.KeyHelp;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.Style;
import io.colabtop.ssh.HostKeyException;
import java.util.List;

/**
 * A host whose key is in no known_hosts file: its fingerprint, how to check it, and y to trust and
 * record it, n to keep refusing. Never offered for a changed or revoked key.
 */
public final class HostKeyDialog implements Dialog {
    private final String host;
    private final HostKeyException key;

    public HostKeyDialog(String host, HostKeyException key) {
        this.host = host;
        this.key = key;
    }

    public String host() {
        return host;
    }

    public HostKeyException key() {
        return key;
    }

    @Override
    public boolean handle(KeyStroke k, DialogContext ctx) {
        Character c = Dialog.typed(k);
        if (c != null && (c == 'y' || c == 'Y')) {
            ctx.trust(host, key);
            return true;
        }
        if ((c != null && (c == 'n' || c == 'N')) || k.getKeyType() == KeyType.Escape) {
            ctx.distrust(host, key);
            return true;
        }
        return false; // nothing else happens until it is answered
    }

    @Override
    public List<Line> lines(int cols) {
        return List.of(
                Line.of(
                        Line.fit(
                                " Unknown host key for " + host + " (" + key.knownHostsName() + "): " + key.keyType()
                                        + " " + key.fingerprint(),
                                cols),
                        Style.WARNING),
                Line.of(
                        Line.fit(
                                " Compare it with the VM's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub, or the serial "
                                        + "console). Trust it and add it to known_hosts?",
                                cols),
                        Style.WARNING),
                HintBar.line(cols, List.of(new KeyHelp("y", "trust and connect"), new KeyHelp("n", "keep refusing"))));
    }
}
