# Sourced (POSIX sh) by ./aws-sandbox and ./mvnw: finds a JDK >= 25 and exports JAVA_HOME.
# Order: $JAVA_HOME, then the usual install locations, then the java on PATH.
# On failure it prints one line naming every JDK it found, and returns 1.

aws_sandbox_java_major() {
  # Sets _major: "openjdk version "25.0.3" ..." -> 25 ; "1.8.0_392" -> 8. The JDK's release file says it
  # without starting a JVM (java -version cost every launch 40-60 ms); java -version where there is none.
  # The release file is read by the shell itself, into a variable (not echoed into a $(...)): a sed, a
  # head and a subshell were three processes of every launch.
  _v=""
  if [ -f "${1%/bin/java}/release" ]; then
    while IFS= read -r _line || [ -n "$_line" ]; do
      case $_line in JAVA_VERSION=\"*) _v=${_line#JAVA_VERSION=\"}; _v=${_v%%\"*}; break ;; esac
    done <"${1%/bin/java}/release"
  fi
  [ -n "$_v" ] || _v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  case "$_v" in
    1.*) _v=${_v#1.}; _major=${_v%%.*} ;;
    "") _major=0 ;;
    *) _v=${_v%%.*}; _major=${_v%%-*} ;;
  esac
}

aws_sandbox_find_jdk() {
  _found=""
  # mvnw runs with "set -f"; the search below needs globbing.
  case $- in *f*) _noglob=1; set +f ;; *) _noglob=0 ;; esac
  # the java on PATH ("<PATH>") is looked up only when no other is new enough: resolving it took three processes
  for _home in "${JAVA_HOME:-}" \
      /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*25* /usr/lib/jvm/* \
      /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
      ${HOME:+"$HOME"/.sdkman/candidates/java/*} \
      /Library/Java/JavaVirtualMachines/*/Contents/Home \
      "<PATH>"; do
    if [ "$_home" = "<PATH>" ]; then
      _home=$(command -v java >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v java)")")") || _home=""
    fi
    [ -n "$_home" ] && [ -x "$_home/bin/java" ] && [ -x "$_home/bin/javac" ] || continue
    aws_sandbox_java_major "$_home/bin/java"
    if [ "$_major" -ge 25 ] 2>/dev/null; then
      JAVA_HOME=$_home
      export JAVA_HOME
      [ "$_noglob" = 1 ] && set -f
      return 0
    fi
    _found="$_found $_home ($_major)"
  done
  [ "$_noglob" = 1 ] && set -f
  echo "aws-sandbox: needs a JDK 25 or newer (java and javac); found:${_found:- none}. Install one (e.g. Temurin 25) or set JAVA_HOME." >&2
  return 1
}
