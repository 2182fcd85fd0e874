package dev.awssandbox.core;

/** Whether one backend can run on this machine, and why (not). */
public record BackendStatus(BackendKind kind, boolean available, String detail) {}
