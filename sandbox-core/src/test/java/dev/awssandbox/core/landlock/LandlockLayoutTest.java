package dev.awssandbox.core.landlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout.PathElement;
import org.junit.jupiter.api.Test;

/** The Landlock structures and constants, pinned to {@code <linux/landlock.h>}. */
class LandlockLayoutTest {

    @Test
    void rulesetAttrIsThreeU64s() {
        assertThat(Landlock.RULESET_ATTR.byteSize()).isEqualTo(24);
        assertThat(Landlock.RULESET_ATTR.byteOffset(PathElement.groupElement("handled_access_fs"))).isZero();
        assertThat(Landlock.RULESET_ATTR.byteOffset(PathElement.groupElement("handled_access_net"))).isEqualTo(8);
        assertThat(Landlock.RULESET_ATTR.byteOffset(PathElement.groupElement("scoped"))).isEqualTo(16);
    }

    @Test
    void rulesetAttrSizeFollowsTheAbi() {
        assertThat(Landlock.rulesetAttrSize(1)).isEqualTo(8);
        assertThat(Landlock.rulesetAttrSize(3)).isEqualTo(8);
        assertThat(Landlock.rulesetAttrSize(4)).isEqualTo(16);
        assertThat(Landlock.rulesetAttrSize(5)).isEqualTo(16);
        assertThat(Landlock.rulesetAttrSize(6)).isEqualTo(24);
        assertThat(Landlock.rulesetAttrSize(7)).isEqualTo(24);
    }

    @Test
    void pathBeneathAttrIsPacked() {
        assertThat(Landlock.PATH_BENEATH_ATTR.byteSize()).isEqualTo(12);
        assertThat(Landlock.PATH_BENEATH_ATTR.byteOffset(PathElement.groupElement("allowed_access"))).isZero();
        assertThat(Landlock.PATH_BENEATH_ATTR.byteOffset(PathElement.groupElement("parent_fd"))).isEqualTo(8);
    }

    @Test
    void netPortAttrIsTwoU64s() {
        assertThat(Landlock.NET_PORT_ATTR.byteSize()).isEqualTo(16);
        assertThat(Landlock.NET_PORT_ATTR.byteOffset(PathElement.groupElement("port"))).isEqualTo(8);
    }

    @Test
    void filesystemRightsMatchTheKernelHeader() {
        assertThat(FsAccess.EXECUTE.mask()).isEqualTo(1L);
        assertThat(FsAccess.WRITE_FILE.mask()).isEqualTo(1L << 1);
        assertThat(FsAccess.READ_FILE.mask()).isEqualTo(1L << 2);
        assertThat(FsAccess.READ_DIR.mask()).isEqualTo(1L << 3);
        assertThat(FsAccess.MAKE_SYM.mask()).isEqualTo(1L << 12);
        assertThat(FsAccess.REFER.mask()).isEqualTo(1L << 13);
        assertThat(FsAccess.TRUNCATE.mask()).isEqualTo(1L << 14);
        assertThat(FsAccess.IOCTL_DEV.mask()).isEqualTo(1L << 15);
        assertThat(FsAccess.mask(FsAccess.knownBy(1))).isEqualTo((1L << 13) - 1);
        assertThat(FsAccess.mask(FsAccess.knownBy(3))).isEqualTo((1L << 15) - 1);
        assertThat(FsAccess.mask(FsAccess.knownBy(7))).isEqualTo((1L << 16) - 1);
    }

    @Test
    void netAndScopeBitsMatchTheKernelHeader() {
        assertThat(NetAccess.BIND_TCP.mask()).isEqualTo(1L);
        assertThat(NetAccess.CONNECT_TCP.mask()).isEqualTo(2L);
        assertThat(Scope.ABSTRACT_UNIX_SOCKET.mask()).isEqualTo(1L);
        assertThat(Scope.SIGNAL.mask()).isEqualTo(2L);
    }

    @Test
    void fileRulesOnlyCarryFileRights() {
        assertThat(FsAccess.FILE_RIGHTS).containsExactlyInAnyOrder(
                FsAccess.EXECUTE, FsAccess.WRITE_FILE, FsAccess.READ_FILE, FsAccess.TRUNCATE, FsAccess.IOCTL_DEV);
        assertThat(FsAccess.READ).doesNotContain(FsAccess.WRITE_FILE, FsAccess.TRUNCATE, FsAccess.MAKE_REG);
    }
}
