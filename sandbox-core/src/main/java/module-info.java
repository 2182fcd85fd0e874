/**
 * aws-sandbox core: run commands and pipelines under an OS-level sandbox policy (Linux Landlock
 * through FFM, else bubblewrap; macOS Seatbelt; or explicitly unsandboxed). The API is the package
 * {@code dev.awssandbox.core}; backends, native bindings and the process engine are internal.
 */
module dev.awssandbox.core {
    requires java.xml; // Maven's settings.xml (access.MavenLocalRepository)

    exports dev.awssandbox.core;
}
