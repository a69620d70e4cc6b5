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
    /**
     * Appended to picocli's static script: names and option values come from {@code volar __complete} (volantd,
     * one-second limit, silent on failure); where it declines (exit 1) picocli's completion of commands and options
     * applies.
     */
    static final String DYNAMIC_BASH = """

            # Names of VMs, plugins and deployments and option values: volar __complete asks volantd (1 s limit,
            # silent on failure); everything else comes from the command model above.
            function _complete_volar_names() {
              local out
              out=$("${COMP_WORDS[0]}" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
              if [ $? -eq 0 ]; then
                local IFS=$'\n'
                COMPREPLY=( $(compgen -W "${out}" -- "${COMP_WORDS[COMP_CWORD]}") )
                type compopt &>/dev/null && compopt +o default
                return 0
              fi
              _complete_volar "$@"
            }
            complete -F _complete_volar_names -o default volar volar.sh volar.bash
            """;

    @Parameters(paramLabel = "<shell>", description = "bash, zsh, fish or powershell")
    String shell;

    @Override
    public Integer call() {
        switch (shell) {
            case "bash", "zsh" -> {
                out().print(AutoComplete.bash("volar", spec.root().commandLine()));
                out().print(DYNAMIC_BASH);
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
