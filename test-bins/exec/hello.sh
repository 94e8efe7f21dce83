#!/bin/sh
# A #! script whose interpreter is the system's shell.
echo "script: $0 $*"
exit 5
