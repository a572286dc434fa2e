#!/bin/sh
printf '%s|%s\n' "$1" "$2" > "$3/script-args"
