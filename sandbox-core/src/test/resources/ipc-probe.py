# SysV shared memory, a SysV message queue and a POSIX message queue, through ctypes (no sysv_ipc here).
#   create KEY TEXT  a 0600 segment and message queue with key KEY, and a 0600 POSIX queue /aws-sandbox-test-KEY,
#                    each holding TEXT (run outside the sandbox, as the host process being attacked)
#   read KEY         prints "shm TEXT", "msg TEXT", "mq TEXT", or "shm errno N" ... for each one it cannot read
#   unlink KEY NR    prints "mq_unlink 0" or "mq_unlink errno N": deletes the POSIX queue (an attack on the
#                    host) with the raw system call NR (glibc's mq_unlink reports EPERM as EACCES)
#   remove KEY       removes all three (cleanup)
# Used by SeccompTest inside and outside the sandbox.
import ctypes
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.msgrcv.restype = ctypes.c_ssize_t
libc.msgrcv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_long, ctypes.c_int]
libc.msgsnd.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
libc.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p]
libc.mq_receive.restype = ctypes.c_ssize_t
libc.mq_receive.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p]
libc.mq_send.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint]

IPC_CREAT, IPC_EXCL, IPC_NOWAIT, IPC_RMID = 0o1000, 0o2000, 0o4000, 0
O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_NONBLOCK = 0, 2, 0o100, 0o200, 0o4000
SIZE = 4096


class Message(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * 256)]


def check(result, what):
    if result == -1 or result is None:
        raise OSError(ctypes.get_errno(), what)
    return result


command, key = sys.argv[1], int(sys.argv[2], 0)
queue = ("/aws-sandbox-test-%x" % key).encode()

if command == "create":
    text = sys.argv[3].encode()
    shm = check(libc.shmget(key, SIZE, IPC_CREAT | IPC_EXCL | 0o600), "shmget")
    address = check(libc.shmat(shm, None, 0), "shmat")
    ctypes.memmove(address, text, len(text))
    libc.shmdt(ctypes.c_void_p(address))
    msg = check(libc.msgget(key, IPC_CREAT | IPC_EXCL | 0o600), "msgget")
    message = Message(1, text)
    check(libc.msgsnd(msg, ctypes.byref(message), len(text), IPC_NOWAIT), "msgsnd")
    mq = check(libc.mq_open(queue, O_CREAT | O_EXCL | O_RDWR, 0o600, None), "mq_open")
    check(libc.mq_send(mq, text, len(text), 0), "mq_send")
    libc.close(mq)
elif command == "read":
    try:
        shm = check(libc.shmget(key, 0, 0), "shmget")
        address = check(libc.shmat(shm, None, 0), "shmat")
        print("shm", ctypes.string_at(address).decode(), flush=True)
    except OSError as e:
        print("shm errno", e.errno, flush=True)
    try:
        msg = check(libc.msgget(key, 0), "msgget")
        message = Message()
        n = check(libc.msgrcv(msg, ctypes.byref(message), 256, 0, IPC_NOWAIT), "msgrcv")
        print("msg", message.mtext[:n].decode(), flush=True)
    except OSError as e:
        print("msg errno", e.errno, flush=True)
    try:
        mq = check(libc.mq_open(queue, O_RDONLY | O_NONBLOCK, 0, None), "mq_open")
        buffer = ctypes.create_string_buffer(1 << 16)
        n = check(libc.mq_receive(mq, buffer, 1 << 16, None), "mq_receive")
        print("mq", buffer.raw[:n].decode(), flush=True)
    except OSError as e:
        print("mq errno", e.errno, flush=True)
elif command == "unlink":
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(int(sys.argv[3])), ctypes.c_char_p(queue[1:]))
    print("mq_unlink", 0 if result == 0 else "errno %d" % ctypes.get_errno(), flush=True)
elif command == "remove":
    shm = libc.shmget(key, 0, 0)
    if shm != -1:
        libc.shmctl(shm, IPC_RMID, None)
    msg = libc.msgget(key, 0)
    if msg != -1:
        libc.msgctl(msg, IPC_RMID, None)
    libc.mq_unlink(queue)
else:
    sys.exit("unknown command " + command)
