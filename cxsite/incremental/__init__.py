"""Incremental builds: input hashes, page records and the validation cache."""
