package io.colabtop.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code colabtop version}: the same as {@code --version}, as gcloud and kubectl users type it. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        description = "Print colabtop's version and the Java it runs on.")
public class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String line : new ColabtopCommand.Version().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
