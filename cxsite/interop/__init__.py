"""Import and export: sheets read into YAML files (`cxsite import`), and the project written
as sheets, Mermaid journey diagrams and the backlog as CSV (`cxsite export`)."""
