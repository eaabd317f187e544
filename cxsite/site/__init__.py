"""The static site: page contexts, the page list, search index and cx.json."""
