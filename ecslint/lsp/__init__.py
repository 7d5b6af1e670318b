"""The language server (``ecslint lsp``): ``server`` speaks LSP through pygls, ``text`` and
``completion`` are the editor-independent parts.  Only ``ecslint lsp`` imports this package."""
