"""Validation: schema errors, references, paths and lint as problem lines."""
