/* An empty library; only its soname matters (see reserved.c). */
