"""Reusable widgets: the cell grid and its editing, cell labels, overlays, plots and the
equation grids. They know nothing of the session."""
