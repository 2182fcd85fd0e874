# What botocore itself makes of the AWS config files and credential_process values the Java test
# wrote (AwsIniOracleTest): raw_config_parse (configparser.RawConfigParser) and compat_shell_split
# (shlex.split on POSIX). Output: one line a case, hex of UTF-8 so any character survives.
import os
import sys

from botocore.compat import compat_shell_split
from botocore.configloader import raw_config_parse

d = sys.argv[1]
out = []
with open(os.path.join(d, "ini-count")) as f:
    n = int(f.read())
for i in range(n):
    try:
        c = raw_config_parse(os.path.join(d, "%d.ini" % i), parse_subsections=False)
    except Exception:
        out.append("i%d\tERR" % i)
        continue
    items = []
    for s in sorted(c):
        for k in sorted(c[s]):
            items.append("\0".join([s, k, c[s][k]]).encode("utf-8").hex())
    out.append("i%d\tOK\t%s" % (i, ",".join(items)))
with open(os.path.join(d, "shlex.txt")) as f:
    lines = f.read().split("\n")
for i, h in enumerate(lines):
    if not h and i == len(lines) - 1:
        break
    v = bytes.fromhex(h).decode("utf-8")
    try:
        w = compat_shell_split(v)
    except ValueError:
        out.append("s%d\tERR" % i)
        continue
    out.append("s%d\tOK\t%d:%s" % (i, len(w), ",".join(x.encode("utf-8").hex() for x in w)))
sys.stdout.write("\n".join(out) + "\n")
