"""The lenses drawn in the middle of the window, and the host that switches between them."""

from .lens_host import LensHost

__all__ = ["LensHost"]
