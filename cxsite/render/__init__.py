"""The Jinja environment shared by the site and the briefs: theme, filters, markup."""
