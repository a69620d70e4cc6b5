package io.volant.volar.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * volar's command tree down to the groups' commands, and how much of it a run builds. picocli builds a command's
 * model by reflection over its class and every subcommand class, the whole tree at once: most of a short command's
 * start-up. So the upper levels are listed here instead of in {@code @Command(subcommands = ...)}, and a run that
 * names its command ({@code volar vms list}, {@code volar version}) gets only the commands on that path. Anything
 * else gets whole levels: a group named without a command (its help lists them), an unknown word or option (errors
 * and "did you mean" see every sibling), and the commands that walk the tree ({@code help}, {@code completion},
 * {@code __complete}) get it all. Below these levels, groups keep their {@code subcommands} annotation.
 *
 * <p>The root's commands are chosen by the words listed here, not by reading their {@code @Command} annotations, and
 * {@code version} is built without one ({@link VersionCommand}): {@code volar version} reads no annotation at all.
 */
public final class Commands {
    /** The root's commands and the words that name them (name first, then aliases; a test holds them to the tree). */
    private static final Map<Class<?>, List<String>> TOP_WORDS = Map.of(
            VmsCommand.class, List.of("vms", "vm"),
            PluginsCommand.class, List.of("plugins", "plugin"),
            DeploymentsCommand.class, List.of("deployments", "deployment", "deploy"),
            EventsCommand.class, List.of("events"),
            NodesCommand.class, List.of("nodes"),
            SetupCommand.class, List.of("setup"),
            VersionCommand.class, List.of(VersionCommand.NAME),
            CompletionCommand.class, List.of("completion"),
            CompleteCommand.class, List.of("__complete"),
            HelpCommand.class, List.of("help"));

    private static final Map<Class<?>, List<Class<?>>> CHILDREN = Map.of(
            Volar.class, List.of(VmsCommand.class, PluginsCommand.class, DeploymentsCommand.class,
                    EventsCommand.class, NodesCommand.class, SetupCommand.class, VersionCommand.class,
                    CompletionCommand.class, CompleteCommand.class, HelpCommand.class),
            VmsCommand.class, List.of(VmsCommand.ListVms.class, VmsCommand.Get.class, VmCreateCommand.class,
                    VmsCommand.Delete.class, VmsCommand.Start.class, VmsCommand.Stop.class, VmsCommand.Restart.class,
                    VmsCommand.Suspend.class, VmsCommand.Resume.class, VmsCommand.Scale.class, VmConfigCommand.class,
                    VmConsoleCommand.class, VmLogsCommand.class, VmOperationsCommand.Operations.class,
                    VmOperationsCommand.Call.class, VmOperationsCommand.Action.class, PublishCommands.VmExpose.class,
                    PublishCommands.VmUnexpose.class),
            PluginsCommand.class, List.of(PluginsCommand.ListPlugins.class, PluginsCommand.Get.class,
                    PluginsCommand.Manifest.class, PluginsCommand.Install.class, PluginsCommand.Remove.class,
                    PluginsCommand.Enable.class, PluginsCommand.Disable.class, ArtifactsCommand.class),
            DeploymentsCommand.class, List.of(DeploymentsCommand.Create.class,
                    DeploymentsCommand.ListDeployments.class, DeploymentsCommand.Get.class,
                    DeploymentsCommand.Scale.class, DeploymentsCommand.Update.class, DeploymentsCommand.Delete.class,
                    RolloutCommand.class, PublishCommands.DeploymentExpose.class,
                    PublishCommands.DeploymentUnexpose.class));

    /** Commands that read the tree itself: with them, everything is built. */
    private static final Set<Class<?>> TREE_READERS = Set.of(HelpCommand.class, CompletionCommand.class,
            CompleteCommand.class);

    private Commands() {}

    /** Adds every command under {@code root} (tests, completion, help). */
    public static void addAll(CommandLine root) {
        add(root, Volar.class, null, 0);
    }

    /** Adds the commands {@code args} needs under {@code root} (see the class comment). */
    public static void addFor(CommandLine root, String[] args) {
        add(root, Volar.class, args, 0);
    }

    /** @param args null for everything; otherwise the arguments, of which {@code from} is the first at this level */
    private static void add(CommandLine parent, Class<?> type, String[] args, int from) {
        List<Class<?>> children = CHILDREN.get(type);
        if (children == null) {
            return;
        }
        int[] at = {-1};
        List<Class<?>> chosen = args == null ? children : choose(parent.getCommandSpec(), type, children, args, from,
                at);
        for (Class<?> c : chosen) {
            CommandLine sub = c == VersionCommand.class ? new CommandLine(new VersionCommand().spec)
                    : new CommandLine(c);
            parent.addSubcommand(sub);
            add(sub, c, chosen.size() == 1 && at[0] >= 0 ? args : null, at[0] + 1);
        }
    }

    /**
     * The children the arguments from {@code from} on need; {@code at[0]} is set to the index of the word naming
     * the one chosen.
     */
    private static List<Class<?>> choose(CommandSpec spec, Class<?> type, List<Class<?>> children, String[] args,
            int from, int[] at) {
        boolean versionOnly = false;
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-")) {
                int eq = a.indexOf('=');
                OptionSpec o = spec.findOption(eq < 0 ? a : a.substring(0, eq));
                if (o == null || o.usageHelp()) {
                    return children;
                }
                versionOnly |= o.versionHelp();
                i += eq < 0 && o.arity().min() > 0 ? 1 : 0;
                continue;
            }
            for (Class<?> c : children) {
                if (!TREE_READERS.contains(c) && words(c).contains(a)) {
                    at[0] = i;
                    return List.of(c);
                }
            }
            return children;
        }
        // `volar --version` prints a line and needs no command; a group alone lists them all.
        return versionOnly && type == Volar.class ? List.of() : children;
    }

    /** The name and aliases of a command class. */
    private static List<String> words(Class<?> c) {
        List<String> top = TOP_WORDS.get(c);
        if (top != null) {
            return top;
        }
        Command command = c.getAnnotation(Command.class);
        List<String> words = new java.util.ArrayList<>(List.of(command.aliases()));
        words.addFirst(command.name());
        return words;
    }
}
