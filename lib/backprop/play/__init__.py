"""The lessons' interactive figures: one module per idea.

Each module has plain functions that compute what to show (tested without a
browser) and a ``panel(...)`` factory that wires them to sliders with
:class:`backprop.widgets.Panel`.
"""
