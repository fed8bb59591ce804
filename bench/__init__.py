"""Performance benchmark of the API (not a test; CI does not run it): see run.py."""
