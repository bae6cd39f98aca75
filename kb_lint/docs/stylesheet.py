"""The plugin's own stylesheet: badges for severities and citations, for any theme; with the
Material theme, a wider page and tighter table cells, so decision tables fit at 1,400 px, and
on a phone (below 45em, Material's own break) tables as wide as the screen, their cells
wrapping anywhere; a table still wider than that scrolls sideways in its box with its first
column kept in view, so the reader always sees which row a cell belongs to."""

STYLESHEET_PATH = "assets/kb-lint.css"
STYLESHEET = """\
.kb-lint-badges { margin-top: -0.5em; }
.kb-lint-badge {
  display: inline-block;
  margin: 0 0.3em 0.3em 0;
  padding: 0 0.6em;
  border: 1px solid currentColor;
  border-radius: 1em;
  font-size: 0.75em;
  line-height: 1.8;
  white-space: nowrap;
}
.kb-lint-badge a { color: inherit; text-decoration: none; }
.kb-lint-error { color: #b3261e; }
.kb-lint-warning { color: #9a5b00; }
.kb-lint-info { color: #1a5fb4; }
.kb-lint-table, .kb-lint-procedure { color: #4a4a4a; }
.kb-lint-metadata { color: #555; }
.md-grid { max-width: 1440px; }
.md-typeset table:not([class]) th, .md-typeset table:not([class]) td { padding: 0.6em 0.8em; }
.md-typeset details summary { font-size: 0.9em; }
@media screen and (max-width: 44.9375em) {
  .md-typeset__table, .md-typeset table:not([class]) {
    display: table;
    width: 100%;
    overflow: visible;
  }
  .md-typeset table:not([class]) tr > :first-child {
    position: sticky;
    left: 0;
    z-index: 1;
    background: var(--md-default-bg-color, #fff);
  }
  .md-typeset table:not([class]) { font-size: 0.7rem; }
  .md-typeset table:not([class]) th, .md-typeset table:not([class]) td {
    padding: 0.4em 0.3em;
    overflow-wrap: anywhere;
    hyphens: auto;
  }
  .md-typeset table:not([class]) code { white-space: normal; word-break: break-all; }
}
"""
