#!/usr/bin/env bash
# check_man.sh BINARY MANPAGE: the man page must pass `mandoc -Tlint` with no
# warning, and every option that `BINARY --help` prints must be documented in
# it (as roff writes it: "\-x" / "\-\-long").  Used by fdscope_add_man_test().
set -u
bin=$1 man=$2
status=0
lint=$(mandoc -Tlint -W warning "$man" 2>&1)
if [ -n "$lint" ]; then
  echo "mandoc -Tlint reports problems in $man:"; echo "$lint"; status=1
fi
help=$("$bin" --help 2>&1)
# Options are the -x / --long-name tokens at the start of help lines (after
# indentation), possibly several separated by commas.
opts=$(printf '%s\n' "$help" | grep -oE '^[[:space:]]+(-[-[:alnum:]]+)(,[[:space:]]*-[-[:alnum:]]+)*' \
       | tr ',' '\n' | tr -d ' ' | sort -u)
[ -n "$opts" ] || { echo "no options found in '$bin --help'"; exit 1; }
body=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man")
for o in $opts; do
  if ! grep -qF -- "$o" <<<"$body"; then
    echo "option $o from --help is not documented in $man"; status=1
  fi
done
exit $status
