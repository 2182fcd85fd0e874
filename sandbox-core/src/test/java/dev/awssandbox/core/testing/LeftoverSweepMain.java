package dev.awssandbox.core.testing;

import dev.awssandbox.core.posix.JvmTag;
import dev.awssandbox.core.linux.Cgroups;
import dev.awssandbox.core.process.GateDirectory;
import dev.awssandbox.core.process.PrivateTemp;

/**
 * Makes this JVM's gate directory, private temporary root and cgroups, each of which first
 * removes the leftovers of JVMs it judges gone, and prints its tag. JvmTagTest runs it in a pid
 * namespace of its own and in the test's.
 */
public final class LeftoverSweepMain {
    private LeftoverSweepMain() {}

    public static void main(String[] args) throws Exception {
        GateDirectory.path();
        PrivateTemp.root();
        Cgroups.layout();
        System.out.println(JvmTag.current());
    }
}
