package io.volant.volar.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code volar completion bash|zsh}: a static script generated from the command model. picocli's script serves both
 * shells (under zsh it loads {@code bashcompinit} itself).
 */
@Command(name = "completion", description = "Print a shell completion script (bash or zsh).%n"
        + "  bash: source <(volar completion bash)%n  zsh:  source <(volar completion zsh)")
final class CompletionCommand extends Base {
    @Parameters(paramLabel = "<shell>", description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
        switch (shell) {
            case "bash", "zsh" -> {
                out().print(AutoComplete.bash("volar", spec.root().commandLine()));
                out().flush();
                return 0;
            }
            default -> throw usage("unsupported shell \"" + shell + "\" (supported: bash, zsh)");
        }
    }
}
