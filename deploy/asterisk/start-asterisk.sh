#!/bin/sh
# The compose stack's Asterisk entrypoint. Asterisk's ari.conf cannot read environment variables,
# so this writes it at container start from the template (deploy/asterisk/ari.conf): the [calltrail]
# user section is renamed to $ARI_USERNAME and its password line set to $ARI_PASSWORD, both from
# deploy/asterisk/ari.env, the file the engine reads them from too. Then it runs the given command.
# ARI_CONF_TEMPLATE and ARI_CONF override the two paths (the test suite uses them).
set -eu
: "${ARI_USERNAME:?set ARI_USERNAME in deploy/asterisk/ari.env}"
: "${ARI_PASSWORD:?set ARI_PASSWORD in deploy/asterisk/ari.env}"
template="${ARI_CONF_TEMPLATE:-/etc/calltrail/ari.conf}"
target="${ARI_CONF:-/etc/asterisk/ari.conf}"

# The password must not sit world-readable in the container.
umask 077
# ENVIRON, not awk -v or sed: the password reaches the file byte for byte, except that ";" (a comment
# in Asterisk's config files) is written as "\;", which Asterisk reads back as ";".
awk '
  # Character by character: awks disagree on backslashes in gsub replacements.
  function escaped(text,   out, i, c) {
    out = ""
    for (i = 1; i <= length(text); i++) { c = substr(text, i, 1); out = out (c == ";" ? "\\;" : c) }
    return out
  }
  /^\[calltrail\][[:space:]]*$/ { print "[" ENVIRON["ARI_USERNAME"] "]"; next }
  /^password[[:space:]]*=/ { print "password = " escaped(ENVIRON["ARI_PASSWORD"]); next }
  { print }
' "$template" > "$target.tmp"
mv "$target.tmp" "$target"

if [ "$#" -gt 0 ]; then exec "$@"; fi
