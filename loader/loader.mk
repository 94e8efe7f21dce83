# ld-teach-exec, the userspace execve (its own issue).  Included by the top Makefile.
