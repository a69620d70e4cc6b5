package io.volant.volar.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code volar completion bash|zsh|fish|powershell}: a static script generated from the command model. picocli's
 * bash script serves zsh too (it loads {@code bashcompinit} itself); fish and PowerShell come from
 * {@link ShellScripts}.
 */
@Command(name = "completion", description = "Print a shell completion script (bash, zsh, fish or powershell).%n"
        + "  bash: source <(volar completion bash)%n  zsh:  source <(volar completion zsh)")
final class CompletionCommand extends Base {
    @Parameters(paramLabel = "<shell>", description = "bash, zsh, fish or powershell")
    String shell;

    @Override
    public Integer call() {
        switch (shell) {
            case "bash", "zsh" -> {
                out().print(AutoComplete.bash("volar", spec.root().commandLine()));
                out().flush();
                return 0;
            }
            case "fish" -> {
                out().print(ShellScripts.fish(spec.root().commandLine()));
                out().flush();
                return 0;
            }
            case "powershell" -> {
                out().print(ShellScripts.powershell(spec.root().commandLine()));
                out().flush();
                return 0;
            }
            default -> throw usage("unsupported shell \"" + shell + "\" (supported: bash, zsh, fish, powershell)");
        }
    }
}
