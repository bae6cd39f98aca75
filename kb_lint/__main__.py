from kb_lint.cli import entry

entry()
