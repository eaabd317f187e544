"""Interface text in the project's words (SPEC 8.12): the shipped message catalogues (Babel
`.po` files, one set per language), the project's `labels` over them, and numbers and dates
formatted for the language."""
