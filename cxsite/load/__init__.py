"""Reading a project: finding its files and parsing YAML with positions."""
