package dev.awssandbox.core.linux;

/** errno values we test for. They are the same on x86_64 and aarch64 (asm-generic). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;

    private Errno() {}

    /** "EACCES (Permission denied)"; never parsed back, only shown. */
    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (Operation not permitted)";
            case ENOENT -> "ENOENT (No such file or directory)";
            case ESRCH -> "ESRCH (No such process)";
            case EINTR -> "EINTR (Interrupted system call)";
            case E2BIG -> "E2BIG (Argument list too long)";
            case ENOEXEC -> "ENOEXEC (Exec format error)";
            case EBADF -> "EBADF (Bad file descriptor)";
            case ECHILD -> "ECHILD (No child processes)";
            case EAGAIN -> "EAGAIN (Resource temporarily unavailable)";
            case ENOMEM -> "ENOMEM (Out of memory)";
            case EACCES -> "EACCES (Permission denied)";
            case ENOTDIR -> "ENOTDIR (Not a directory)";
            case EISDIR -> "EISDIR (Is a directory)";
            case EINVAL -> "EINVAL (Invalid argument)";
            case ENOSYS -> "ENOSYS (Function not implemented)";
            case EOPNOTSUPP -> "EOPNOTSUPP (Operation not supported)";
            default -> "errno " + errno;
        };
    }
}
