"""KB articles: the article model (``model``), and the article linter built on it.

The linter checks each article against a house style: a folder of rule files (``style``) that
instantiate the check kinds implemented once in ``kinds``. ``run`` lints files (in parallel
when there are many), with inline suppressions (``suppress``) and safe fixes (``fix``);
``lint`` is what the ``articles`` and ``check`` commands call.
"""
