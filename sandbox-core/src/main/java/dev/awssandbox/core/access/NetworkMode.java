package dev.awssandbox.core.access;

/** The network mode of a plan (the public {@code SandboxPolicy.Network}). */
public enum NetworkMode {
    /** No connections. */
    OFF,
    /** Only to allowed hosts, through the egress proxy; everything else as with {@link #OFF}. */
    HOSTS,
    /** Any connection. */
    ALL
}
