# Criterion unit tests of the pure core modules.  Included by tests/tests.mk.
