/**
 * aws-sandbox core: run commands under an OS-level sandbox policy (Linux Landlock through FFM,
 * or explicitly unsandboxed). The API is the package {@code dev.awssandbox.core}; backends,
 * Landlock bindings and the process engine are internal.
 */
module dev.awssandbox.core {
    exports dev.awssandbox.core;
}
