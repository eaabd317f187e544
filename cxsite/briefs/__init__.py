"""PDF briefs: their contexts, rendering and the WeasyPrint boundary."""
