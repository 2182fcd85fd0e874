package dev.awssandbox.core.access;

/**
 * How a backend can keep a path read-only (git metadata, aws-sandbox's installation) when it
 * lies inside a directory the policy makes writable.
 */
public enum WriteProtection {
    /**
     * The backend lays a read-only view over it (bubblewrap: a read-only bind after the writable
     * one): the plan has a read grant beneath the read-write grant, and the directory stays
     * writable.
     */
    MASK,
    /**
     * The backend cannot carve a read-only hole in a writable tree (Landlock rules only add
     * access; Seatbelt here is treated the same): the planner does not make such a directory
     * writable at all — a default one stays read-only with a warning, an explicit one is an error.
     */
    WITHHOLD,
    /** Nothing is enforced (the unsandboxed backend): grants are only a description. */
    NONE
}
