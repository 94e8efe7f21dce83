# Host tools for the tests (libelf allowed here, never in the core).  Included by tests/tests.mk.
