"""SEC-IN-03 and SEC-AC-10 (tests/chaos/test_tier2_dast.py): the citizens the scanners sign in as,
the DAST virtualenv, and the scanners' command lines and report parsers."""
