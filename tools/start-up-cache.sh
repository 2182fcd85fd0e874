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
  # One ls, the launch's only process here: the jar's and the runtime's sizes, owners and times (the
  # key, read in the C locale) and the caches beside the jar (their types, modes and owners). The key
  # is made of the digits ls prints, by the shell's own expansions (a cksum cost two more processes).
  _listing=$(LC_ALL=C ls -lnLd "$_jar" "$_home/release" "$_home/lib/modules" "$_dir"/aws-sandbox-*.aot 2>/dev/null) \
    || : # (a name not there, such as the pattern itself when no cache is: the key's are counted below)
  _key=${#_home} _keyed=0 _jar_owner=""
  while read -r _mode _ _owner _ _size _month _day _time _name; do
    case $_name in
      "$_jar"|"$_home/release"|"$_home/lib/modules") ;;
      *) continue ;;
    esac
    [ "$_name" != "$_jar" ] || _jar_owner=$_owner
    case $_month in
      Jan) _month=01 ;; Feb) _month=02 ;; Mar) _month=03 ;; Apr) _month=04 ;; May) _month=05 ;; Jun) _month=06 ;;
      Jul) _month=07 ;; Aug) _month=08 ;; Sep) _month=09 ;; Oct) _month=10 ;; Nov) _month=11 ;; Dec) _month=12 ;;
      *) return 0 ;; # not ls's C-locale format: no cache rather than a wrong key
    esac
    _key=$_key$_size$_month$_day${_time%%:*}${_time#*:}$_owner
    _keyed=$((_keyed + 1))
  done <<EOF
$_listing
EOF
  [ "$_keyed" = 3 ] && [ -n "$_jar_owner" ] || return 0
  case $_key in *[!0-9]*) return 0 ;; esac
  _aot="$_dir/aws-sandbox-$_key.aot"
  aws_sandbox_aot_listed "$_listing"
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
    aws_sandbox_aot_listed "$(LC_ALL=C ls -lnLd "$_aot" 2>/dev/null || :)"
  fi
  if aws_sandbox_aot_usable; then
    aws_sandbox_aot=$_aot
  fi
  return 0
}

# The mode and owner of $_aot in the ls listing $1 (empty when it is not listed).
aws_sandbox_aot_listed() {
  _aot_mode="" _aot_owner=""
  while read -r _mode _ _owner _rest; do
    case $_rest in *" $_aot") _aot_mode=$_mode _aot_owner=$_owner ;; esac
  done <<EOF
$1
EOF
}

# The cache fit to use: a regular file (not a link), not older than the jar, writable by its owner only
# (ls's mode -????-??-…: no w for the group or others), owned by this user or by the jar's owner.
aws_sandbox_aot_usable() {
  [ -f "$_aot" ] && [ ! -L "$_aot" ] && [ ! "$_jar" -nt "$_aot" ] || return 1
  case $_aot_mode in -????-??-*) ;; *) return 1 ;; esac
  [ "$_aot_owner" = "$_jar_owner" ] || [ -O "$_aot" ]
}
