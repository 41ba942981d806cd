package io.colabtop.app.tui.dialog;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.colabtop.app.tui.render.HintBar;
import io.colabtop.app.tui.render.KeyHelp;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.Style;
import io.colabtop.core.action.Action;
import io.colabtop.core.action.Confirmation;
import java.util.ArrayList;
import java.util.List;

/**
 * An action's plan, waiting for y/n; a dangerous one waits for its confirm name typed and Enter
 * (as k9s asks), so a reflex cannot stop a VM.
 */
public final class PlanDialog implements Dialog {
    static final int MAX_TYPED = 300;

    private final Action plan;
    private final StringBuilder typed = new StringBuilder();
    private final String editWhat;
    private final Runnable edit;

    public PlanDialog(Action plan) {
        this(plan, null, null);
    }

    /**
     * A plan that can be changed before it runs: {@code e} closes it (nothing ran, nothing to audit)
     * and calls {@code edit}, which asks again and shows a new plan.
     *
     * @param editWhat what {@code e} changes, for the hint bar ("size, path, fstab")
     */
    public PlanDialog(Action plan, String editWhat, Runnable edit) {
        this.plan = plan;
        this.editWhat = editWhat;
        this.edit = edit;
    }

    public Action plan() {
        return plan;
    }

    @Override
    public boolean handle(KeyStroke k, DialogContext ctx) {
        Character c = Dialog.typed(k);
        if (k.getKeyType() == KeyType.Escape || (!plan.dangerous() && c != null && (c == 'n' || c == 'N'))) {
            ctx.declined(plan);
            return true;
        }
        if (edit != null && !plan.dangerous() && c != null && c == 'e') {
            edit.run();
            return true;
        }
        if (!plan.dangerous()) {
            if (c != null && (c == 'y' || c == 'Y')) {
                ctx.run(plan, Confirmation.answered("tui"));
                return true;
            }
            return false;
        }
        if (k.getKeyType() == KeyType.Enter) {
            ctx.run(plan, Confirmation.typed("tui", typed.toString()));
            return true;
        }
        if (k.getKeyType() == KeyType.Backspace && typed.length() > 0) {
            typed.setLength(typed.length() - 1);
        } else if (c != null && typed.length() < MAX_TYPED) {
            typed.append(c);
        }
        return false;
    }

    @Override
    public List<Line> lines(int cols) {
        List<Line> box = new ArrayList<>();
        Style st = plan.dangerous() ? Style.CRITICAL : Style.WARNING;
        box.add(Line.of(
                Line.fit(
                        " " + (plan.dangerous() ? "DANGEROUS " : "") + plan.name() + " on " + plan.host()
                                + ": this will run",
                        cols),
                st));
        plan.summary().forEach(l -> box.add(Line.of(Line.fit("   " + l, cols), Style.TEXT)));
        box.add(
                plan.dangerous()
                        ? Line.of(
                                Line.fit(
                                        " Type '" + plan.confirmName() + "' to confirm, then Enter (Esc cancels): "
                                                + typed + "_",
                                        cols),
                                st)
                        : HintBar.line(
                                cols,
                                edit == null
                                        ? List.of(new KeyHelp("y", "run it"), new KeyHelp("n/Esc", "cancel"))
                                        : List.of(
                                                new KeyHelp("y", "run it"),
                                                new KeyHelp("e", "change " + editWhat),
                                                new KeyHelp("n/Esc", "cancel"))));
        return box;
    }
}
