package io.volant.volantd.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The package graph of docs/architecture.md, checked on volantd's production classes: no cycle between top-level
 * packages, nothing but {@code Main}/{@code Volantd} imports {@code api}, {@code store} only under the domain
 * services, and each package depends only on the packages its line in the document names ({@code errors} is open to
 * all). A package this test does not know yet is still held to the first three rules.
 */
class ArchitectureTest {
    private static final String ROOT = "io.volant.volantd";
    private static final JavaClasses VOLANTD = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    /** docs/architecture.md, "volantd packages": package -> the packages it may depend on. */
    private static final Map<String, Set<String>> MAY_DEPEND_ON = new LinkedHashMap<>();

    static {
        MAY_DEPEND_ON.put("config", Set.of());
        MAY_DEPEND_ON.put("errors", Set.of());
        MAY_DEPEND_ON.put("events", Set.of());
        MAY_DEPEND_ON.put("time", Set.of());
        MAY_DEPEND_ON.put("logging", Set.of());
        MAY_DEPEND_ON.put("host", Set.of());
        MAY_DEPEND_ON.put("console", Set.of());
        MAY_DEPEND_ON.put("vfio", Set.of());
        MAY_DEPEND_ON.put("drift", Set.of());
        MAY_DEPEND_ON.put("store", Set.of("config"));
        MAY_DEPEND_ON.put("cloudinit", Set.of("config"));
        MAY_DEPEND_ON.put("agent", Set.of("events"));
        MAY_DEPEND_ON.put("plugin", Set.of("store", "events"));
        MAY_DEPEND_ON.put("network", Set.of("store", "config"));
        MAY_DEPEND_ON.put("hypervisor", Set.of("config", "cloudinit", "console", "agent", "network", "vfio"));
        MAY_DEPEND_ON.put("template", Set.of("store", "hypervisor", "events", "config"));
        MAY_DEPEND_ON.put("vm", Set.of("store", "network", "hypervisor", "template", "cloudinit", "plugin", "events",
                "drift", "vfio", "config"));
        MAY_DEPEND_ON.put("deployment", Set.of("vm", "store", "events", "plugin", "agent", "time"));
        MAY_DEPEND_ON.put("publish", Set.of("store", "vm", "deployment", "network", "events", "time"));
        MAY_DEPEND_ON.put("simulated", Set.of("hypervisor", "vm", "agent", "console"));
        MAY_DEPEND_ON.put("cluster", Set.of("config", "vm", "deployment", "errors"));
    }

    /** Packages that own state or orchestrate it; everything else reaches the database through them. */
    private static final Set<String> DOMAIN_SERVICES = Set.of("store", "plugin", "network", "template", "vm", "deployment",
            "publish");

    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @Test
    void top_level_packages_form_no_cycle() {
        noPackageCycles(ROOT).check(VOLANTD);
    }

    @Test
    void the_cycle_rule_sees_a_cycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.volant.archfixture.cycle");
        assertThatThrownBy(() -> noPackageCycles("io.volant.archfixture.cycle").check(fixture))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
    }

    @Test
    void nothing_but_the_wiring_depends_on_api() {
        noClasses().that().resideOutsideOfPackages(ROOT, ROOT + ".api..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".api..")
                .check(VOLANTD);
    }

    @Test
    void store_is_reached_only_through_the_domain_services() {
        String[] allowed = DOMAIN_SERVICES.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new);
        noClasses().that().resideOutsideOfPackages(allowed).and().resideOutsideOfPackage(ROOT)
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".store..")
                .check(VOLANTD);
    }

    @Test
    void each_package_depends_only_on_what_the_architecture_document_allows() {
        MAY_DEPEND_ON.forEach((pkg, allowed) -> {
            Set<String> open = new TreeSet<>(allowed);
            open.add(pkg);
            open.add("errors");
            String[] permitted = open.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(ROOT + "." + pkg + "..")
                    .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                            .and(not(resideInAnyPackage(permitted))))
                    .as(pkg + " depends only on " + open)
                    .allowEmptyShould(true)
                    .check(VOLANTD);
        });
    }

    @Test
    void every_documented_package_exists() {
        Set<String> present = new TreeSet<>();
        VOLANTD.forEach(c -> {
            String rest = c.getPackageName().substring(ROOT.length());
            if (rest.startsWith(".")) {
                present.add(rest.substring(1).split("\\.")[0]);
            }
        });
        assertThat(present).containsAll(MAY_DEPEND_ON.keySet());
    }
}
