package io.volant.volar.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * fish and PowerShell completion scripts generated from the command model (picocli only generates bash/zsh).
 * Static: command and option names, no API look-ups.
 */
final class ShellScripts {
    private ShellScripts() {}

    static String fish(CommandLine root) {
        StringBuilder b = new StringBuilder();
        b.append("# volar fish completion: volar completion fish | source\n");
        b.append("function __volar_words\n")
                .append("    set -l words (commandline -opc)\n")
                .append("    set -e words[1]\n")
                .append("    for w in $words\n")
                .append("        if not string match -q -- '-*' $w\n")
                .append("            echo $w\n")
                .append("        end\n")
                .append("    end\n")
                .append("end\n");
        b.append("function __volar_is\n")
                .append("    set -l words (__volar_words)\n")
                .append("    test \"$words\" = \"$argv\"\n")
                .append("end\n");
        b.append("function __volar_in\n")
                .append("    set -l words (__volar_words)\n")
                .append("    set -l n (count $argv)\n")
                .append("    test $n -eq 0; or begin; test (count $words) -ge $n; and test \"$words[1..$n]\" = \"$argv\"; end\n")
                .append("end\n");
        b.append("complete -c volar -f\n");
        for (Map.Entry<String, CommandLine> e : tree(root).entrySet()) {
            String path = e.getKey();
            CommandSpec spec = e.getValue().getCommandSpec();
            for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
                if (!sub.getKey().equals(sub.getValue().getCommandName())
                        || sub.getValue().getCommandSpec().usageMessage().hidden()) {
                    continue;
                }
                b.append("complete -c volar -n '__volar_is ").append(path).append("' -a ").append(sub.getKey())
                        .append(" -d ").append(quote(description(sub.getValue().getCommandSpec()))).append('\n');
            }
            for (OptionSpec o : spec.options()) {
                b.append("complete -c volar -n '__volar_in ").append(path).append("'");
                for (String n : o.names()) {
                    b.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
                }
                if (o.arity().max() > 0) {
                    b.append(" -r");
                }
                String d = o.description().length > 0 ? o.description()[0] : "";
                b.append(" -d ").append(quote(d)).append('\n');
            }
        }
        return b.toString();
    }

    static String powershell(CommandLine root) {
        StringBuilder b = new StringBuilder();
        b.append("# volar PowerShell completion: volar completion powershell | Out-String | Invoke-Expression\n");
        b.append("Register-ArgumentCompleter -Native -CommandName volar -ScriptBlock {\n");
        b.append("    param($wordToComplete, $commandAst, $cursorPosition)\n");
        b.append("    $tree = @{\n");
        for (Map.Entry<String, CommandLine> e : tree(root).entrySet()) {
            List<String> words = new ArrayList<>();
            CommandSpec spec = e.getValue().getCommandSpec();
            spec.subcommands().forEach((name, cl) -> {
                if (!cl.getCommandSpec().usageMessage().hidden()) {
                    words.add(name);
                }
            });
            spec.options().forEach(o -> words.addAll(List.of(o.names())));
            b.append("        '").append(e.getKey()).append("' = @(");
            for (int i = 0; i < words.size(); i++) {
                b.append(i == 0 ? "" : ", ").append('\'').append(words.get(i)).append('\'');
            }
            b.append(")\n");
        }
        b.append("    }\n");
        b.append("    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() }"
                + " | Where-Object { $_ -notlike '-*' -and $_ -ne $wordToComplete })\n");
        b.append("    $key = $words -join ' '\n");
        b.append("    while (-not $tree.ContainsKey($key)) {\n");
        b.append("        if ($words.Count -le 1) { $words = @() } else { $words = $words[0..($words.Count - 2)] }\n");
        b.append("        $key = $words -join ' '\n");
        b.append("    }\n");
        b.append("    $tree[$key] | Where-Object { $_ -like \"$wordToComplete*\" } | ForEach-Object {\n");
        b.append("        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n");
        b.append("    }\n");
        b.append("}\n");
        return b.toString();
    }

    /** Every command by its space-separated path below the root ("" = root), parents first. */
    private static Map<String, CommandLine> tree(CommandLine root) {
        Map<String, CommandLine> out = new LinkedHashMap<>();
        walk("", root, out);
        return out;
    }

    private static void walk(String path, CommandLine cl, Map<String, CommandLine> out) {
        out.put(path, cl);
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName()) && !name.equals("help")
                    && !sub.getCommandSpec().usageMessage().hidden()) {
                walk(path.isEmpty() ? name : path + " " + name, sub, out);
            }
        });
    }

    private static String description(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : d[0].split("%n")[0];
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
