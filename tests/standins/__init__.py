"""Local stand-ins for external servers used by the tests."""
