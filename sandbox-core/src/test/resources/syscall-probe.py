# Makes raw system calls with harmless arguments and prints "name errno" per call (0: it succeeded).
# Arguments: name:number:arg:arg... where an arg is an integer (any base) or "mem:HEX", a pointer to
# 256 bytes that start with those bytes and are zero after them (a struct, a CPU or node mask).
# Used by SeccompTest inside and outside the sandbox.
import ctypes
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
buffers = []


def argument(token):
    if token.startswith("mem="):
        content = bytes.fromhex(token[4:])
        buffer = ctypes.create_string_buffer(content.ljust(256, b"\0"), 256)
        buffers.append(buffer)
        return ctypes.c_long(ctypes.addressof(buffer))
    return ctypes.c_long(int(token, 0))


for spec in sys.argv[1:]:
    name, number, *args = spec.replace("mem:", "mem=").split(":")
    call_args = [argument(a) for a in args]
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(int(number, 0)), *call_args)
    print(name, 0 if result >= 0 else ctypes.get_errno(), flush=True)
