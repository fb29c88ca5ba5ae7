package ddpm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the ddpm command, with what it printed. */
record CommandRun(int exitCode, String out, String err) {
  static CommandRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ddpm.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new CommandRun(code, out.toString(), err.toString());
  }
}
