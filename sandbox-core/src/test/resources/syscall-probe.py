# Makes raw system calls with harmless arguments and prints "name errno" per call (0: it succeeded).
# Arguments: name:number:arg:arg... (integers, any base). Used by SeccompTest inside and outside the sandbox.
import ctypes
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
for spec in sys.argv[1:]:
    name, number, *args = spec.split(":")
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(int(number, 0)), *[ctypes.c_long(int(a, 0)) for a in args])
    print(name, 0 if result >= 0 else ctypes.get_errno(), flush=True)
