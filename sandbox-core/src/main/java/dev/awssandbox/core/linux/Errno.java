package dev.awssandbox.core.linux;

/**
 * errno values by name, the same on x86_64 and aarch64 (asm-generic). {@link #describe} is what
 * messages show: the name and the C library's wording, never a bare number for a known value.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int ENOTBLK = 15;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int EDOM = 33;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOLCK = 37;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int ECONNREFUSED = 111;
    public static final int ETIMEDOUT = 110;

    private Errno() {}

    /** "EACCES (Permission denied)"; never parsed back, only shown. */
    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (Operation not permitted)";
            case ENOENT -> "ENOENT (No such file or directory)";
            case ESRCH -> "ESRCH (No such process)";
            case EINTR -> "EINTR (Interrupted system call)";
            case EIO -> "EIO (Input/output error)";
            case ENXIO -> "ENXIO (No such device or address)";
            case E2BIG -> "E2BIG (Argument list too long)";
            case ENOEXEC -> "ENOEXEC (Exec format error)";
            case EBADF -> "EBADF (Bad file descriptor)";
            case ECHILD -> "ECHILD (No child processes)";
            case EAGAIN -> "EAGAIN (Resource temporarily unavailable)";
            case ENOMEM -> "ENOMEM (Cannot allocate memory)";
            case EACCES -> "EACCES (Permission denied)";
            case EFAULT -> "EFAULT (Bad address)";
            case ENOTBLK -> "ENOTBLK (Block device required)";
            case EBUSY -> "EBUSY (Device or resource busy)";
            case EEXIST -> "EEXIST (File exists)";
            case EXDEV -> "EXDEV (Invalid cross-device link)";
            case ENODEV -> "ENODEV (No such device)";
            case ENOTDIR -> "ENOTDIR (Not a directory)";
            case EISDIR -> "EISDIR (Is a directory)";
            case EINVAL -> "EINVAL (Invalid argument)";
            case ENFILE -> "ENFILE (Too many open files in system)";
            case EMFILE -> "EMFILE (Too many open files)";
            case ENOTTY -> "ENOTTY (Inappropriate ioctl for device)";
            case ETXTBSY -> "ETXTBSY (Text file busy)";
            case EFBIG -> "EFBIG (File too large)";
            case ENOSPC -> "ENOSPC (No space left on device)";
            case ESPIPE -> "ESPIPE (Illegal seek)";
            case EROFS -> "EROFS (Read-only file system)";
            case EMLINK -> "EMLINK (Too many links)";
            case EPIPE -> "EPIPE (Broken pipe)";
            case EDOM -> "EDOM (Numerical argument out of domain)";
            case ERANGE -> "ERANGE (Numerical result out of range)";
            case EDEADLK -> "EDEADLK (Resource deadlock avoided)";
            case ENAMETOOLONG -> "ENAMETOOLONG (File name too long)";
            case ENOLCK -> "ENOLCK (No locks available)";
            case ENOSYS -> "ENOSYS (Function not implemented)";
            case ENOTEMPTY -> "ENOTEMPTY (Directory not empty)";
            case ELOOP -> "ELOOP (Too many levels of symbolic links)";
            case EOPNOTSUPP -> "EOPNOTSUPP (Operation not supported)";
            case EADDRINUSE -> "EADDRINUSE (Address already in use)";
            case ECONNREFUSED -> "ECONNREFUSED (Connection refused)";
            case ETIMEDOUT -> "ETIMEDOUT (Connection timed out)";
            default -> "errno " + errno;
        };
    }
}
