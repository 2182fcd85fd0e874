# Sourced (POSIX sh) by ./aws-sandbox and by the archive's bin/aws-sandbox (as lib/start-up-cache.sh):
# the start-up cache, the JDK's AOT cache (JEP 483/514/515: classes loaded and linked ahead of time).
#
#   aws_sandbox_start_up_cache JAVA JAR JVM-OPTION...
#
# sets aws_sandbox_aot to the cache to start JAVA -jar JAR with (-XX:AOTCache=…), or to "" for none.
# The cache lies beside the jar, named for the jar and the Java runtime it was made with
# (aws-sandbox-KEY.aot), so a rebuilt jar, another JDK or a JDK updated in place gets a new one. It
# is made by one training run (run -- a script) the first time it is missing, and never makes a
# launch fail: a training that makes nothing is marked (KEY.failed) and not repeated until the jar
# or the runtime changes, and a cache the JVM rejects is passed over (the launchers switch the aot
# and cds logs off: the JVM writes them to stdout, into the command's output).
#
# An AOT cache is code the JVM runs as the supervisor, outside every sandbox, so a planted one is code
# injection. The cache is used only when it is a regular file (not a link) owned by this user or by
# the jar's owner (who could replace the jar itself) and writable by no one else. It is made only in
# a directory that this user may write and no one else may (an installation in /opt that only root
# writes gets one when root runs it once; a shared, world-writable directory never does), with a
# umask that leaves it writable by its owner only. The directory is the installation, which no
# sandboxed command may write (aws.sandbox.home). AWS_SANDBOX_AOT=off: no cache, no training.

aws_sandbox_start_up_cache() {
  aws_sandbox_aot=""
  _java=$1 _jar=$2
  shift 2
  [ "${AWS_SANDBOX_AOT:-on}" != off ] || return 0
  _dir=${_jar%/*} _home=${_java%/bin/java}
  # the key: the jar's and the runtime's names, sizes, owners and times (ls's own format, in the C locale)
  _listing=$(LC_ALL=C ls -lnLd "$_jar" "$_home/release" "$_home/lib/modules" 2>/dev/null) || return 0
  _key=$(printf '%s\n' "$_listing" | cksum)
  _aot="$_dir/aws-sandbox-${_key%% *}.aot"
  _jar_owner=""
  while read -r _ _ _owner _rest; do # ls sorts its lines: the jar's owner from the line that names it
    case $_rest in *" $_jar") _jar_owner=$_owner ;; esac
  done <<EOF
$_listing
EOF
  [ -n "$_jar_owner" ] || return 0
  if aws_sandbox_aot_usable; then
    aws_sandbox_aot=$_aot
    return 0
  fi
  # training: no cache fit to use, and no training since the jar was built failed
  if [ ! "$_aot.failed" -nt "$_jar" ] && [ -w "$_dir" ] \
      && [ -O "$_dir" ] && [ -n "$(find "$_dir" -maxdepth 0 ! -perm -020 ! -perm -002 2>/dev/null)" ]; then
    echo "aws-sandbox: preparing the start-up cache (once per build or Java runtime)..." >&2
    # The training runs what a command needs: a #!/usr/bin/env script (as the AWS CLI and pyenv's shims
    # are), in a directory that holds data (so the working directory is granted and scanned for .git).
    # A clean environment: no JDK_JAVA_OPTIONS, audit log or sandbox mode of the user's in the training.
    # No method profiles (JEP 515, -XX:-AOTRecordTraining): the launchers run C1 only
    # (TieredStopAtLevel=1), which uses none, and with them the C1 compiler took ~15% more CPU at
    # every start (docs/performance.md); ignored, not fatal, should a later JDK drop this diagnostic flag.
    (umask 077 && _train=$(mktemp -d "${TMPDIR:-/tmp}/aws-sandbox-training.XXXXXX") || exit 1
      cd "$_train" && printf '#!/usr/bin/env sh\nexit 0\n' >command && chmod 700 command \
        && env -i PATH=/usr/bin:/bin HOME="${HOME:-/}" ${TMPDIR:+TMPDIR="$TMPDIR"} \
          "$_java" "$@" -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining \
          -XX:AOTCacheOutput="$_aot.$$" -jar "$_jar" run -- "$_train/command"
      _status=$?
      cd / && rm -rf "$_train"
      exit "$_status") </dev/null >/dev/null 2>&1 || true
    if [ -s "$_aot.$$" ] && chmod 644 "$_aot.$$" && mv -f "$_aot.$$" "$_aot"; then
      # this user's caches for other jars and runtimes (and the unkeyed aws-sandbox.aot of earlier launchers)
      for _old in "$_dir"/aws-sandbox-*.aot "$_dir"/aws-sandbox-*.aot.failed "$_dir/aws-sandbox.aot" "$_dir/aws-sandbox.aot.failed"; do
        [ "$_old" = "$_aot" ] || [ ! -f "$_old" ] || [ ! -O "$_old" ] || rm -f "$_old"
      done
    else
      rm -f "$_aot.$$" "$_aot.$$.config"
      (umask 077 && : >"$_aot.failed") 2>/dev/null || true
    fi
  fi
  if aws_sandbox_aot_usable; then
    aws_sandbox_aot=$_aot
  fi
  return 0
}

# The cache fit to use: a regular file (find -type f does not follow a link), owned by this user or the
# jar's owner, writable by no one else, and not older than the jar.
aws_sandbox_aot_usable() {
  [ -f "$_aot" ] && [ ! "$_jar" -nt "$_aot" ] || return 1
  _usable=$(find "$_aot" -maxdepth 0 -type f ! -perm -020 ! -perm -002 -user "$_jar_owner" 2>/dev/null)
  if [ -z "$_usable" ] && [ -O "$_aot" ]; then
    _usable=$(find "$_aot" -maxdepth 0 -type f ! -perm -020 ! -perm -002 2>/dev/null)
  fi
  [ -n "$_usable" ]
}
