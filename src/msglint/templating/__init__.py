"""Templaters: one per syntax, all returning :class:`~msglint.templating.base.RenderResult`."""
