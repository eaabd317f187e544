"""One module per CLI verb: each runs the library and returns what the CLI prints."""
