"""The analyses of SPEC section 4, split by subject; `analysis.analyse` is the entry."""
