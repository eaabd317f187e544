"""Writing: the only code that writes a site (a build's staged output, `serve`'s preview)
or the files a user keeps (`export`, `import`, `new`)."""
