"""The analyses of SPEC section 4, split by subject; `cxsite.analyse` is the public entry."""
