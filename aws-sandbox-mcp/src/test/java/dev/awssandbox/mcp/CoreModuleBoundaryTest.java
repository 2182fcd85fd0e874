package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.Sandbox;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * sandbox-core's module boundary as a modular consumer meets it: sandbox-core, exactly as this
 * module depends on it, is loaded as the module {@code dev.awssandbox.core} in a layer of its own;
 * code outside it reaches the API package and not an internal one. The control: this module's
 * tests run on the class path (the MCP SDK, Jackson and Jetty, and the shaded CLI, are not
 * modules here), where nothing enforces the boundary and the same internal class is usable.
 */
class CoreModuleBoundaryTest {
    private static final String INTERNAL = "dev.awssandbox.core.backend.LandlockBackend";

    @Test
    void onTheModulePathOnlyTheApiPackageOfSandboxCoreIsAccessible() throws Exception {
        Path core = Path.of(Sandbox.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(ModuleFinder.of(core), ModuleFinder.of(),
                Set.of("dev.awssandbox.core"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
        Module module = layer.findModule("dev.awssandbox.core").orElseThrow();
        ClassLoader loader = layer.findLoader("dev.awssandbox.core");

        assertThat(module.getDescriptor().exports()).extracting(e -> e.source()).containsExactly("dev.awssandbox.core");
        Class<?> api = loader.loadClass(Sandbox.class.getName());
        assertThat(api.getModule()).isSameAs(module);
        assertThat(MethodHandles.publicLookup().findStatic(api, "builder", MethodType.methodType(loader.loadClass(
                Sandbox.class.getName() + "$Builder")))).isNotNull();

        Class<?> internal = loader.loadClass(INTERNAL);
        assertThat(module.isExported(internal.getPackageName())).isFalse();
        assertThatThrownBy(() -> MethodHandles.publicLookup().findConstructor(internal, MethodType.methodType(void.class)))
                .isInstanceOf(IllegalAccessException.class);
    }

    @Test
    void onTheClassPathTheBoundaryIsNotEnforced() throws Exception {
        Class<?> internal = Class.forName(INTERNAL);

        assertThat(internal.getModule().isNamed()).isFalse();
        assertThat(MethodHandles.publicLookup().findConstructor(internal, MethodType.methodType(void.class))).isNotNull();
    }
}
