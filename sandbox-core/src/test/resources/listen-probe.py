# Listens without binding first (the kernel binds 0.0.0.0 and a free port itself), reports
# "port N" or "refused ERRNO" in the status file named by argv[1], and sends one line to the first
# connection. Run by the seccomp tests; the host connects (PythonProbes.connectToReportedPort).
import os, socket, sys
status = sys.argv[1]
def report(text):
    with open(status + ".part", "w") as f:
        f.write(text)
    os.rename(status + ".part", status)
s = socket.socket()
try:
    s.listen(1)  # unbound: the kernel binds 0.0.0.0 and a free port itself
except OSError as e:
    report("refused %d" % e.errno)
    sys.exit(0)
report("port %d" % s.getsockname()[1])
s.settimeout(60)
c, _ = s.accept()
c.sendall(b"hello from the command")
c.close()
