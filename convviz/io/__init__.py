"""Reading and writing arrays and images (no Qt)."""

from .arrays import load_array, load_input, load_kernel, save_map
from .picture import map_picture

__all__ = ["load_array", "load_input", "load_kernel", "map_picture", "save_map"]
