"""cxsite: customer-experience documentation as code."""

__version__ = "0.1.0"
