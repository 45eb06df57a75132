"""Code out: the document as a self-contained PyTorch or NumPy script that computes the same
stack and checks that its result is the map the window shows.

``script_for(document, lang)`` gives the ``Script`` (its text, and the arrays too large to write
inline, to be saved beside it). Nothing here imports torch: the code is text.
"""

from .arrays import INLINE_LIMIT
from .script import LANGUAGES, Script, script_for

__all__ = ["INLINE_LIMIT", "LANGUAGES", "Script", "script_for"]
