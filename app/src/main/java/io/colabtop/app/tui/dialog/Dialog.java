package io.colabtop.app.tui.dialog;

import com.googlecode.lanterna.input.KeyStroke;
import io.colabtop.app.tui.render.Line;
import java.util.List;

/**
 * A question over the screen that takes the keys until it is answered: a plan to confirm, a line to
 * type, an unknown host key to trust or not. Each kind handles its own keys and draws itself; the
 * session only routes keys to the dialog on top.
 */
public sealed interface Dialog
        permits PlanDialog, InputDialog, HostKeyDialog, FilterDialog, ChoiceDialog, MessageLogDialog {
    /** Handles one key; returns true when the dialog is done and closes. */
    boolean handle(KeyStroke key, DialogContext ctx);

    /** Its rows, drawn over the bottom of the screen. */
    List<Line> lines(int cols);

    /** A character a user may type into a dialog: printable, not a control key. */
    static Character typed(KeyStroke k) {
        if (k.getKeyType() != com.googlecode.lanterna.input.KeyType.Character || k.isCtrlDown() || k.isAltDown()) {
            return null;
        }
        char c = k.getCharacter();
        return Character.isISOControl(c) ? null : c;
    }
}
